import type { Node } from 'constructs';
import { intContext, listContext, stringContext } from '../context';

/** Size and placement of the OpenSearch domain. */
export interface SearchConfig {
  /** Data node instance type (memory-optimized: HNSW graphs live off-heap in RAM). */
  readonly dataNodeInstanceType: string;
  readonly dataNodes: number;
  /** Dedicated master nodes; 0 = none (fine for one or two data nodes), 3 for production. */
  readonly masterNodes: number;
  readonly masterNodeInstanceType: string;
  /** gp3 volume per data node, GiB. */
  readonly volumeGiB: number;
  /** Place the domain in this VPC (with `subnetIds`); `undefined` = public endpoint behind fine-grained access. */
  readonly vpcId?: string;
  readonly subnetIds: readonly string[];
}

/** Context keys and defaults (`-c searchDataNodes=3`, ...). */
export const SEARCH_CONFIG_DEFAULTS: SearchConfig = {
  dataNodeInstanceType: 'r7g.large.search',
  dataNodes: 1,
  masterNodes: 0,
  masterNodeInstanceType: 'm7g.large.search',
  volumeGiB: 20,
  subnetIds: [],
};

const INSTANCE = /^[a-z][a-z0-9]*\.[a-z0-9]+\.search$/;

/** Reads `searchDataNodeInstanceType`, `searchDataNodes`, `searchMasterNodes`, `searchMasterNodeInstanceType`, `searchVolumeGiB`, `searchVpcId`, `searchSubnetIds`. */
export function readSearchConfig(node: Node): SearchConfig {
  const d = SEARCH_CONFIG_DEFAULTS;
  const vpcId = stringContext(node, 'searchVpcId', undefined, /^vpc-[0-9a-f]+$/);
  const subnetIds = listContext(node, 'searchSubnetIds');
  if (vpcId && subnetIds.length === 0) throw new Error('context searchVpcId needs searchSubnetIds');
  return {
    dataNodeInstanceType: stringContext(node, 'searchDataNodeInstanceType', d.dataNodeInstanceType, INSTANCE),
    dataNodes: intContext(node, 'searchDataNodes', d.dataNodes),
    masterNodes: intContext(node, 'searchMasterNodes', d.masterNodes, 0),
    masterNodeInstanceType: stringContext(
      node,
      'searchMasterNodeInstanceType',
      d.masterNodeInstanceType,
      INSTANCE,
    ),
    volumeGiB: intContext(node, 'searchVolumeGiB', d.volumeGiB, 10),
    ...(vpcId ? { vpcId } : {}),
    subnetIds,
  };
}
