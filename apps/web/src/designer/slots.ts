/**
 * Seams for features that live in other folders (export dialog, live overlay, auth and
 * conflict handling): they register a toolbar item or a side-panel tab here instead of
 * editing the designer's components.
 */
import type { ComponentType } from 'react';

export interface SidePanelSlot {
  id: string;
  title: string;
  Component: ComponentType;
}

export const toolbarSlots: ComponentType[] = [];
export const sidePanelSlots: SidePanelSlot[] = [];
