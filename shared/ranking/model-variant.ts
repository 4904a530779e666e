import { fnv1a } from '../embedding/hashed-encoder';

/**
 * The production variant that serves the endpoint's configured model version and takes all
 * untargeted traffic. Requests that name no variant, or whose variant is refused, land here.
 */
export const DEFAULT_RANKER_VARIANT = 'AllTraffic';

/** SageMaker's rule for a production variant name (at most 63 characters). */
export const VARIANT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const MAX_VARIANT_LENGTH = 63;
const HASH_SUFFIX_LENGTH = 9; // '-' + 8 hex digits

/**
 * The production variant name that serves model `version`, used by the CDK to name the extra
 * variants and by the origin to target them (InvokeEndpoint `TargetVariant`). Deterministic:
 * - a version that already is a valid variant name (letters, digits, inner hyphens, at most 63
 *   characters, e.g. `attune-20250101T120000`) is its own variant name;
 * - any other version (dots, underscores, too long) becomes its letters and digits joined by
 *   single hyphens, cut to 54 characters, plus `-` and the 8 hex digits of its FNV-1a hash, so
 *   `v1.2` and `v1_2` get different names (`v1-2-xxxxxxxx`).
 * A version whose name would be `AllTraffic` (any case) is hashed too, so it never lands on the
 * default variant by accident.
 */
export function rankerVariantName(version: string): string {
  if (
    VARIANT_NAME_PATTERN.test(version) &&
    version.length <= MAX_VARIANT_LENGTH &&
    version.toLowerCase() !== DEFAULT_RANKER_VARIANT.toLowerCase()
  ) {
    return version;
  }
  const hash = fnv1a(version).toString(16).padStart(8, '0');
  const readable = version
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .slice(0, MAX_VARIANT_LENGTH - HASH_SUFFIX_LENGTH)
    .replace(/^-+|-+$/g, '');
  return readable ? `${readable}-${hash}` : `model-${hash}`;
}
