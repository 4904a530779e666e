import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MANIFEST_FILE, MODEL_FILE, type ModelBundle, manifestSchema } from '../../local/model-server/bundle';

/** `s3://bucket/prefix/` as its bucket and key prefix (ending in `/`). @throws Error otherwise. */
export function parseBundleUrl(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!m) throw new Error(`${url} is not an s3://bucket/prefix/ URL`);
  const prefix = m[2] as string;
  return { bucket: m[1] as string, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/**
 * Reads a model bundle (`manifest.json` and `model.onnx`, unpacked beside the endpoint's
 * `model.tar.gz`; docs/operations.md) from S3, for the origin's in-process fallback in Lambda.
 * The manifest is validated with the same schema the model server uses.
 */
export async function readS3ModelBundle(url: string, s3: Pick<S3Client, 'send'>): Promise<ModelBundle> {
  const { bucket, prefix } = parseBundleUrl(url);
  const bytes = async (file: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${file}` }));
    if (!out.Body) throw new Error(`s3://${bucket}/${prefix}${file} has no body`);
    return out.Body.transformToByteArray();
  };
  const [manifestBytes, model] = await Promise.all([bytes(MANIFEST_FILE), bytes(MODEL_FILE)]);
  const manifest = manifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));
  return { manifest, model };
}
