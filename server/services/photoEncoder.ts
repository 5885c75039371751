import fs from 'node:fs/promises';
import sharp from 'sharp';
import { AppError } from '../errors';

/** What a photo becomes once the server has re-encoded it. */
export interface EncodedPhoto {
  bytes: Buffer;
  width: number;
  height: number;
}

/** Largest side kept: enough to see a pothole or a broken lamp, small enough for a phone on a weak line. */
const MAX_SIDE = 2048;
/** Refused before decoding when the header announces more (a "decompression bomb" is a tiny file claiming a huge image). */
const MAX_INPUT_PIXELS = 40_000_000;
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Re-encodes an uploaded photo (JPEG or PNG) as a fresh JPEG with sharp (libvips): the
 * picture is turned upright by its EXIF orientation, scaled down to MAX_SIDE, and written
 * without any of the original's metadata — EXIF (the camera, the time, the GPS position),
 * XMP, IPTC, ICC comments all go, since none is copied to the new file. A file that does not
 * start as a JPEG or PNG is refused 415 unsupported_media_type; one that does but does not
 * decode (damaged, or announcing more than MAX_INPUT_PIXELS) 422 invalid_image.
 */
export async function encodePhoto(tempPath: string): Promise<EncodedPhoto> {
  const input = await fs.readFile(tempPath);
  // What the file is, by its first bytes (never by its name or declared type).
  if (!input.subarray(0, 3).equals(JPEG_MAGIC) && !input.subarray(0, 8).equals(PNG_MAGIC)) {
    throw new AppError(415, 'unsupported_media_type', 'a photo must be a JPEG or PNG image');
  }
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw new AppError(422, 'invalid_image', 'the photo could not be read (damaged, or too large an image)');
  }
}
