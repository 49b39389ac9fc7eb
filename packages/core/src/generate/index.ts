export { type GenerateOptions, generateDesign } from './design.ts';
