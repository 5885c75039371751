import { createMemo, Show } from 'solid-js';
import { MUNICIPAL_OUTLINES, outlineOf, pointInOutline } from '../../protocol/municipalOutlines';
import { t } from '../i18n';

export type LatLng = { lat: number; lng: number };

/** Whether a picked point lies outside the municipality's outline (the server refuses it: point_outside_municipality). */
export function outsideMunicipality(code: string, p: LatLng | undefined): boolean {
  const outline = outlineOf(code);
  return !!p && !!outline && !pointInOutline(p, outline);
}

const SIZE = 300;

/**
 * A plain coordinate picker that needs no map tiles (it works offline and calls no third
 * party): the municipality's outline drawn as SVG on a lat/lng grid; a tap picks the point.
 */
export function MapPicker(props: { municipalityCode: string; value: LatLng | undefined; onPick: (p: LatLng) => void }) {
  const outline = () => outlineOf(props.municipalityCode) ?? MUNICIPAL_OUTLINES.ADR!;
  const box = createMemo(() => {
    const points = outline().flat(2);
    const lats = points.map((p) => p[0]), lngs = points.map((p) => p[1]);
    const pad = 0.01;
    return { minLat: Math.min(...lats) - pad, maxLat: Math.max(...lats) + pad, minLng: Math.min(...lngs) - pad, maxLng: Math.max(...lngs) + pad };
  });
  const x = (lng: number) => ((lng - box().minLng) / (box().maxLng - box().minLng)) * SIZE;
  const y = (lat: number) => ((box().maxLat - lat) / (box().maxLat - box().minLat)) * SIZE;
  const pick = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    const round = (v: number) => Math.round(v * 1e5) / 1e5;
    props.onPick({ lat: round(box().maxLat - fy * (box().maxLat - box().minLat)), lng: round(box().minLng + fx * (box().maxLng - box().minLng)) });
  };
  return (
    <div class="map-picker">
      {/* North up, west left in every language: SVG coordinates do not follow the page direction. */}
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={t('cases.point')} data-testid="map" onClick={pick}
        style={{ width: '100%', 'max-width': '320px', height: 'auto', cursor: 'crosshair', 'touch-action': 'manipulation' }}>
        <rect x="0" y="0" width={SIZE} height={SIZE} fill="#eef4ee" />
        {/* Every part and hole as one path; even-odd leaves the holes unfilled. */}
        <path d={outline().flat().map((ring) => `M${ring.map(([lat, lng]) => `${x(lng)},${y(lat)}`).join('L')}Z`).join('')}
          fill="#d4e8d0" fill-rule="evenodd" stroke="#3b6e3b" stroke-width="2" />
        <Show when={props.value}>{(p) => <circle cx={x(p().lng)} cy={y(p().lat)} r="6" fill="#c0392b" stroke="#fff" stroke-width="2" data-testid="map-point" />}</Show>
      </svg>
      <p class="muted" data-testid="point-text">
        {props.value ? t('cases.pointChosen', { lat: String(props.value.lat), lng: String(props.value.lng) }) : t('cases.noPoint')}
      </p>
      <Show when={outsideMunicipality(props.municipalityCode, props.value)}>
        <p class="error" role="alert" data-testid="point-outside">{t('cases.errors.pointOutside')}</p>
      </Show>
    </div>
  );
}
