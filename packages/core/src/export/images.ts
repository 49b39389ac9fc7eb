/**
 * Container images for the bundles: the design's `image`, or the export's prefix + the
 * bundle's name, given the export's tag where it has none. A bare name pulls `:latest` from
 * Docker Hub, which changes under a running Deployment and never rolls it: the quick-start
 * profile warns, the production profile refuses.
 */
import type { Warning } from '../engine/types.ts';
import type { BundleT } from '../schema/topology.ts';
import type { ExportOptions, ExportProblem } from './types.ts';

/** The tag and digest of an image reference; a registry port (`localhost:5000/shop`) is not a tag. */
export function imageParts(ref: string): { tag: string | null; digest: string | null } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return { tag: colon >= 0 ? last.slice(colon + 1) : null, digest };
}

/** Docker's reference grammar, loosely: no spaces, no upper case in the repository path. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function bundleImage(
  bundle: BundleT,
  index: number,
  kubeName: string,
  options: ExportOptions,
  warnings: Warning[],
  problems: ExportProblem[],
): string {
  const production = options.profile === 'production';
  const path = `bundles[${index}].image`;
  let image = bundle.image ?? `${options.imagePrefix ?? ''}${kubeName}`;
  const { tag, digest } = imageParts(image);
  if (!tag && !digest && options.imageTag) image = `${image}:${options.imageTag}`;
  const pinned = imageParts(image);
  // With a prefix the user chose the images; without one, a bare name would pull from Docker Hub.
  if (!bundle.image && !options.imagePrefix) {
    const message = `bundle ${bundle.name} has no image; ${production ? 'the production profile needs one' : `using "${image}"`}. Set its image in the design (inspector → Bundle → Image) or pass an image prefix (e.g. ghcr.io/acme/).`;
    if (production) problems.push({ path, message });
    else warnings.push({ code: 'no-image', path, message });
    return image;
  }
  if (!pinned.tag && !pinned.digest) {
    const message = `bundle ${bundle.name}'s image "${image}" has no tag: it pulls :latest, which changes under a running Deployment and is never rolled out. Give the image a tag (e.g. ${image}:1.0.0) or pass an image tag.`;
    if (production) problems.push({ path, message });
    else warnings.push({ code: 'image-tag', path, message });
  } else if (production && !pinned.digest && pinned.tag === 'latest')
    problems.push({
      path,
      message: `bundle ${bundle.name}'s image "${image}" is tagged latest, which moves: the production profile needs a fixed tag or a digest`,
    });
  return image;
}
