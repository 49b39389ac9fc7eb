/**
 * Seams for features that live in other folders: they register a toolbar item or a side-panel
 * tab here instead of editing the designer's components (the rehearsal does, in
 * rehearse/register.ts). Features that need the shell's own state (the export dialog's open
 * flag, the live overlay shared by the canvas and its panel) are mounted by DesignerShell.
 */
import type { ComponentType } from 'react';

export interface SidePanelSlot {
  id: string;
  title: string;
  Component: ComponentType;
}

export const toolbarSlots: ComponentType[] = [];
export const sidePanelSlots: SidePanelSlot[] = [];
