/**
 * Municipality outlines and the point-in-outline rule, shared by the server (which refuses a
 * complaint's point outside its municipality) and the map picker (which draws the outline and
 * warns before sending). Pure; tested by tables (tests/unit/municipalOutlines.test.ts).
 *
 * Every point is [lat, lng] (WGS 84 degrees), latitude first. Outlines are plain lat/lng
 * polygons: no wrap at the antimeridian, irrelevant for Tunisia (7.5°–11.6° E).
 */

export type LatLngPair = readonly [lat: number, lng: number];
/** A ring of [lat, lng] vertices; closing back to the first vertex is implied. */
export type Ring = readonly LatLngPair[];
/** One part: its outer ring, then any holes. */
export type Part = readonly [outer: Ring, ...holes: Ring[]];
/** An outline of one or more parts (a municipality may have detached pieces). */
export type Outline = readonly Part[];

/**
 * Approximate outlines drawn by hand around each town and its surrounding imadas, not
 * cadastral boundaries (README, "Complaints"): a point a few hundred metres beyond the real
 * limit may be taken, one far outside is refused.
 */
export const MUNICIPAL_OUTLINES: Readonly<Record<string, Outline>> = {
  // Ain Draham: the town and the forested hills around it, from Ouled Sedra to Hammam Bourguiba's road.
  ADR: [[[[36.845, 8.62], [36.85, 8.7], [36.83, 8.77], [36.78, 8.79], [36.73, 8.76], [36.71, 8.69], [36.73, 8.62], [36.79, 8.6]]]],
  // Tabarka: the coastal town, the port and the hills behind it.
  TBK: [[[[36.97, 8.7], [36.965, 8.8], [36.93, 8.82], [36.9, 8.78], [36.9, 8.7], [36.93, 8.68]]]],
};

/** Distance below which a point counts as on an edge (degrees; ~1 cm), so rounding never flips an edge point out. */
const EDGE_EPSILON = 1e-7;

function onSegment(lat: number, lng: number, [aLat, aLng]: LatLngPair, [bLat, bLng]: LatLngPair): boolean {
  const cross = (bLng - aLng) * (lat - aLat) - (bLat - aLat) * (lng - aLng);
  const length = Math.hypot(bLng - aLng, bLat - aLat);
  if (Math.abs(cross) > EDGE_EPSILON * Math.max(length, EDGE_EPSILON)) return false;
  return lng >= Math.min(aLng, bLng) - EDGE_EPSILON && lng <= Math.max(aLng, bLng) + EDGE_EPSILON
    && lat >= Math.min(aLat, bLat) - EDGE_EPSILON && lat <= Math.max(aLat, bLat) + EDGE_EPSILON;
}

/** Where a point lies against one ring: on its boundary (edge or vertex), inside, or outside (ray casting eastwards). */
export function ringSide(lat: number, lng: number, ring: Ring): 'edge' | 'inside' | 'outside' {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!, b = ring[j]!;
    if (onSegment(lat, lng, a, b)) return 'edge';
    // Half-open on latitude, so a ray through a vertex counts it once.
    if ((a[0] > lat) !== (b[0] > lat)) {
      const crossLng = a[1] + ((lat - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);
      if (lng < crossLng) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/** Whether a point lies in an outline: inside some part's outer ring (its edge included) and not strictly inside one of its holes. */
export function pointInOutline(point: { lat: number; lng: number }, outline: Outline): boolean {
  return outline.some(([outer, ...holes]) => ringSide(point.lat, point.lng, outer) !== 'outside'
    && holes.every((hole) => ringSide(point.lat, point.lng, hole) !== 'inside'));
}

/** The outline of a municipality by its code, if one is drawn. */
export function outlineOf(code: string): Outline | undefined {
  return Object.hasOwn(MUNICIPAL_OUTLINES, code) ? MUNICIPAL_OUTLINES[code] : undefined;
}
