/**
 * What every designer panel reads: the parsed document and the engine's results for it (with
 * the controller, for the cross-check's cancel). Provided by the designer shell; read by the
 * canvas, the panels, the charts and the file menu.
 */
import type { Topology } from '@busboard/core';
import { createContext, useContext } from 'react';
import type { Results, ResultsController } from '../results/controller.ts';

export interface DesignContextValue extends Results {
  doc: Topology;
  controller: ResultsController;
}

export const DesignContext = createContext<DesignContextValue | null>(null);

export function useDesign(): DesignContextValue {
  const v = useContext(DesignContext);
  if (!v) throw new Error('useDesign outside the designer');
  return v;
}
