export { BetaThompson, type BetaThompsonOptions } from './beta-thompson';
export { LinearThompson, type LinearThompsonOptions } from './linear-thompson';
export { type Rng, sampleBeta, sampleGamma, sampleNormal } from './sampling';
