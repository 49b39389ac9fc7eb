/** Puts the Rehearse button in the designer's toolbar and the predicted-vs-measured tab in its side panel (designer/slots.ts). */
import { sidePanelSlots, toolbarSlots } from '../designer/slots.ts';
import { MeasuredPanel } from './MeasuredPanel.tsx';
import { RehearseButton } from './RehearseButton.tsx';
import { MEASURED_TAB } from './state.ts';

if (!toolbarSlots.includes(RehearseButton)) toolbarSlots.push(RehearseButton);
if (!sidePanelSlots.some((s) => s.id === MEASURED_TAB)) sidePanelSlots.push({ id: MEASURED_TAB, title: 'Measured', Component: MeasuredPanel });
