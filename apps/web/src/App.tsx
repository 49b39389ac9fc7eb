import { useRoute } from './lib/route.ts';
import { DesignerPage } from './pages/DesignerPage.tsx';
import { DesignsPage } from './pages/DesignsPage.tsx';
import { LivePage } from './pages/LivePage.tsx';
import { SharePage } from './pages/SharePage.tsx';
import { ThemeToggle } from './pages/ThemeToggle.tsx';

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          Busboard
        </a>
        <nav>
          <a href="#/" aria-current={route.page === 'designs' ? 'page' : undefined}>
            Designs
          </a>
          <a href="#/live" aria-current={route.page === 'live' ? 'page' : undefined}>
            Live
          </a>
        </nav>
        <ThemeToggle />
      </header>
      <main className="content">
        {route.page === 'designs' && <DesignsPage />}
        {route.page === 'design' && <DesignerPage key={route.id} id={route.id} />}
        {route.page === 'share' && <SharePage key={route.data} data={route.data} />}
        {route.page === 'live' && <LivePage />}
      </main>
    </div>
  );
}
