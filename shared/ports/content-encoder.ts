import type { Modality } from './item-catalog';

/** What an encoder sees of one piece of content, whatever its modality. */
export interface ContentInput {
  readonly modality: Modality;
  /** Title, description, transcript or caption. */
  readonly text?: string;
  /** Structured attributes (category, brand, genre, artist...) as key/value pairs. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Port: maps content of every modality into the shared embedding space. Locally a
 * deterministic hashed n-gram encoder; in production a SageMaker embedding endpoint per modality.
 */
export interface ContentEncoder {
  readonly dimensions: number;
  /** Names the space; vectors from different space versions must never be compared. */
  readonly spaceVersion: string;
  encode(inputs: readonly ContentInput[]): Promise<Float32Array[]>;
}
