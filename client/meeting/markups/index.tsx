import './markups.css';
import type { PresentedView } from '../../../protocol/presentation';
import type { SheetGeometry } from '../../lib/pdf/PdfPage';
import type { MeetingConnection } from '../MeetingConnection';
import { presentationOf } from '../presentation';
import { createBoard } from './board';
import { MarkupLayer } from './MarkupLayer';
import { MarkupTools } from './MarkupTools';
import { markupsOf } from './store';

/**
 * The markups of the document pane: the overlay the viewer draws over the page and the
 * controls above it, for the view the member has on screen (`shown`). Drawing is offered on
 * the presented version to the presenter and to whom the chair lets draw; a member browsing
 * freely sees the markups of each page they reach.
 */
export function pageMarkups(c: MeetingConnection, shown: () => PresentedView | null) {
  const markups = markupsOf(c);
  const presentation = presentationOf(c);
  const selfId = () => c.state.self?.userId;
  const mayDraw = () => selfId() !== undefined && (presentation.presenterId === selfId() || markups.state.drawers.includes(selfId()!));
  const place = () => {
    const v = shown();
    return v && mayDraw() && v.versionId === presentation.view?.versionId ? { versionId: v.versionId, page: v.page } : null;
  };
  const board = createBoard(c, markups, place);
  const sha256Of = (versionId: number) =>
    presentation.agenda.flatMap((i) => i.documents).find((d) => d.versionId === versionId)?.sha256
    ?? markups.state.markups.find((m) => m.documentVersionId === versionId)?.documentSha256;
  const scaleOf = (page: number) => {
    const v = shown(), sha = v && sha256Of(v.versionId);
    return (sha && markups.state.scales.find((s) => s.documentSha256 === sha && s.page === page)) || null;
  };

  return {
    overlay: (g: SheetGeometry) => (
      <MarkupLayer geometry={g} store={markups.state} versionId={shown()?.versionId ?? 0} board={board} drawing={!!place()} scale={scaleOf(g.pageNumber)} />
    ),
    tools: () => (
      <MarkupTools connection={c} store={markups.state} board={board} drawing={!!place()} scale={scaleOf(shown()?.page ?? 1)} presenterId={presentation.presenterId} />
    ),
  };
}
