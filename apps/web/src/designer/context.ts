/** What every designer panel reads: the parsed document and the engine's results for it. */
import type { Topology } from '@busboard/core';
import { createContext, useContext } from 'react';
import type { Results } from './useResults.ts';

export interface DesignContextValue extends Results {
  doc: Topology;
}

export const DesignContext = createContext<DesignContextValue | null>(null);

export function useDesign(): DesignContextValue {
  const v = useContext(DesignContext);
  if (!v) throw new Error('useDesign outside the designer');
  return v;
}
