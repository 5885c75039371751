/** PDF typesetting for every document Lajna issues (minutes, receipt, later the arrêté and signature appearances). */
export { Typesetter, firstStrongDirection, visualOrder, type Align, type BlockOptions, type Column, type Direction, type ParagraphOptions, type PdfOptions, type TableOptions, type TextStyle } from './Typesetter';
export { isolate } from './isolate';
