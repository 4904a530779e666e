import { Annotations, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import {
  EMBEDDING_DIMENSIONS,
  ITEMS_INDEX_ALIAS,
} from '../../../origin-lambdas/adapters/vector/opensearch-mapping';
import { isProdStage, stagePrefix } from '../config';
import { AlarmedQueue } from '../constructs/alarmed-queue';
import { attuneFunction } from '../constructs/attune-function';
import { DynamoStreamToLambda } from '../constructs/dynamo-stream-to-lambda';
import { nagResourceId } from '../nag-ids';
import { searchDomainName } from './search-stack';

/** The HTTP calls `OpenSearchVectorIndex` makes to keep the index: `_bulk`, alias checks, first-use index creation. */
export const ITEM_INDEXER_ES_ACTIONS = [
  'es:ESHttpDelete',
  'es:ESHttpGet',
  'es:ESHttpHead',
  'es:ESHttpPost',
  'es:ESHttpPut',
] as const;

/** The item indexer's role name: fixed, so the search stack can map it by ARN without a cycle. */
export const itemIndexerRoleName = (stage: string): string => `${stagePrefix(stage)}-item-indexer-exec`;

export interface AttuneIndexerStackProps extends StackProps {
  readonly stage: string;
  /** The data stack's items table; it must have its stream (`TABLES.items.stream`). */
  readonly itemsTable: ITable;
  /** Search domain endpoint host, without the scheme (a cross-stack value). */
  readonly domainEndpoint: string;
}

/**
 * Keeps the OpenSearch k-NN index in step with the items table: the items table's DynamoDB stream
 * drives the item-indexer function (`stream-handlers/item-indexer`), which upserts and deletes item
 * vectors by id. Batches it gives up on land in an alarmed on-failure queue.
 */
export class AttuneIndexerStack extends Stack {
  public readonly fn: NodejsFunction;
  public readonly wiring: DynamoStreamToLambda;
  /** Destination of stream batches the indexer gave up on; alarmed from the first message. */
  public readonly onFailure: AlarmedQueue;

  constructor(scope: Construct, id: string, props: AttuneIndexerStackProps) {
    super(scope, id, { description: `Attune item vector indexer (stage ${props.stage})`, ...props });
    const prefix = stagePrefix(props.stage);
    const retain = isProdStage(props.stage);

    this.fn = attuneFunction(this, 'ItemIndexer', {
      entry: 'stream-handlers/item-indexer/handler.ts',
      serviceName: 'attune-item-indexer',
      description: `Attune item vectors into OpenSearch (${props.stage})`,
      roleName: itemIndexerRoleName(props.stage),
      // stream-handlers/item-indexer/config.ts; the width and alias are those the search stack applies.
      environment: {
        OPENSEARCH_ENDPOINT: `https://${props.domainEndpoint}`,
        OPENSEARCH_ALIAS: ITEMS_INDEX_ALIAS,
        VECTOR_DIMENSIONS: String(EMBEDDING_DIMENSIONS),
        VECTOR_METRIC: 'ip',
      },
      timeout: Duration.seconds(30),
      retainLogs: retain,
    });

    this.onFailure = new AlarmedQueue(this, 'OnFailure', {
      queueName: `${prefix}-item-indexer-on-failure`,
      purpose: 'Items-table stream batches the item indexer could not apply to OpenSearch',
      retain,
    });
    Validations.of(this.onFailure.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the items-stream event source mapping; it is alarmed and handled by hand (a rebuild of the index), not redriven.',
    });
    this.wiring = new DynamoStreamToLambda(this, 'ItemsToIndexer', {
      table: props.itemsTable,
      fn: this.fn,
      onFailureQueue: this.onFailure.queue,
    });

    // Fine-grained access control then authorizes the role through the mapping the search stack
    // applies; the ARN is built from the domain's fixed name, like the recommend function's.
    const paths = this.formatArn({
      service: 'es',
      resource: 'domain',
      resourceName: `${searchDomainName(props.stage)}/*`,
    });
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: [...ITEM_INDEXER_ES_ACTIONS], resources: [paths] }),
    );
    if (this.fn.role) {
      Validations.of(this.fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceId(this, paths)}]`,
        reason:
          'OpenSearch authorizes HTTP calls per index path under the domain; fine-grained access control limits the role to the attune_items_rw mapping (the items alias and its versioned indexes).',
      });
    }
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/core:crossStackReferencesDefaultStrong',
      'Strong references are intended: the items table stream and the search domain cannot be removed while the indexer reads and writes them.',
    );
  }
}
