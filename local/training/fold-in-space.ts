import type { AlsModel } from './als';
import { cholesky, forwardSubstitute, gram } from './linalg';

/**
 * Maps ALS item factors into the space where a user's embedding is a plain weighted sum of the
 * items they touched. ALS solves x_u = (YᵀY + λI + Yᵀ(C_u − I)Y)⁻¹ YᵀC_u p_u; dropping the
 * per-user correction gives x_u ≈ (YᵀY + λI)⁻¹ Σ c_ui y_i. With YᵀY + λI = L Lᵀ and z_i = L⁻¹ y_i
 * the score x_u · y_j becomes (Σ c_ui z_i) · z_j: one embedding per item, users folded in with
 * the streaming handler's `addInteraction`, scored by inner product. Returns the z rows.
 */
export function foldInSpace(model: AlsModel, regularization: number, itemCount: number): Float64Array {
  const k = model.factors;
  const l = cholesky(gram(model.items, itemCount, k, regularization), k);
  const z = new Float64Array(itemCount * k);
  for (let j = 0; j < itemCount; j++) {
    const row = model.items.slice(j * k, j * k + k);
    forwardSubstitute(l, row, k);
    z.set(row, j * k);
  }
  return z;
}
