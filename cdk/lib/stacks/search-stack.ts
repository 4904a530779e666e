import { CustomResource, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { EbsDeviceVolumeType, type ISecurityGroup, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { PolicyDocument, PolicyStatement, ServicePrincipal, StarPrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { CfnResourcePolicy, LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnDomain, Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import {
  ITEMS_INDEX_ALIAS,
  ITEMS_INDEX_BODY,
  itemsIndexName,
} from '../../../origin-lambdas/adapters/vector/opensearch-mapping';
import { isProdStage, stagePrefix } from '../config';
import { attuneFunction } from '../constructs/attune-function';
import { nagResourceId } from '../nag-ids';
import { SEARCH_CONFIG_DEFAULTS, type SearchConfig } from '../search/search-config';

// The data-plane calls FGAC then authorizes per user or role; listed rather than `es:ESHttp*`.
const HTTP_ACTIONS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'].map(
  (m) => `es:ESHttp${m[0]}${m.slice(1).toLowerCase()}`,
);

export interface AttuneSearchStackProps extends StackProps {
  readonly stage: string;
  /** @default SEARCH_CONFIG_DEFAULTS */
  readonly search?: SearchConfig;
  /** IAM role ARNs of the clients (`OpenSearchVectorIndex`) mapped to the `attune_items_rw` security role. */
  readonly clientRoleArns?: readonly string[];
}

/** OpenSearch domain name: at most 28 characters. */
export function searchDomainName(stage: string): string {
  const name = `${stagePrefix(stage)}-search`;
  return name.length <= 28 ? name : stagePrefix(stage).slice(0, 28).replace(/-+$/, '');
}

/**
 * The vector index: an OpenSearch 2.x domain (k-NN ships enabled) with encryption at rest and
 * between nodes, HTTPS with TLS 1.2, fine-grained access control whose master user lives in Secrets
 * Manager, zone awareness from two data nodes, logs in CloudWatch, and the items index applied by a
 * custom resource (`search/apply-index-handler.ts`).
 */
export class AttuneSearchStack extends Stack {
  public readonly domain: Domain;
  public readonly masterUserSecret: Secret;
  public readonly applyIndexFunction: NodejsFunction;
  public readonly securityGroup?: ISecurityGroup;

  constructor(scope: Construct, id: string, props: AttuneSearchStackProps) {
    super(scope, id, { description: `Attune vector search (stage ${props.stage})`, ...props });
    const cfg = props.search ?? SEARCH_CONFIG_DEFAULTS;
    const prod = isProdStage(props.stage);
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const domainName = searchDomainName(props.stage);
    const zoneAware = cfg.dataNodes >= 2;
    if (zoneAware && cfg.dataNodes % 2 !== 0 && cfg.dataNodes % 3 !== 0) {
      throw new Error(`searchDataNodes ${cfg.dataNodes}: zone awareness needs a multiple of 2 or 3`);
    }

    this.masterUserSecret = new Secret(this, 'MasterUser', {
      secretName: `${stagePrefix(props.stage)}/search/master-user`,
      description: 'Fine-grained access control master user of the Attune OpenSearch domain',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'attune-admin' }),
        generateStringKey: 'password',
        // FGAC wants upper, lower, digit and special characters; quotes and backslashes break JSON tooling.
        excludeCharacters: '"\'\\/@ `',
        requireEachIncludedType: true,
        passwordLength: 32,
      },
      removalPolicy,
    });
    Validations.of(this.masterUserSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The FGAC master password is changed on the domain itself (UpdateDomainConfig) in the same step as the secret; see docs/operations.md. Automatic rotation would desynchronize them.',
    });

    const logs = (name: string) =>
      new LogGroup(this, `${name}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy });
    const slowSearch = logs('SlowSearch');
    const slowIndex = logs('SlowIndex');
    const app = logs('App');
    // Written here instead of by the Domain's own custom resource (a Lambda with a managed policy).
    const logPolicy = new CfnResourcePolicy(this, 'LogsResourcePolicy', {
      policyName: `${domainName}-logs`,
      policyDocument: JSON.stringify(
        new PolicyDocument({
          statements: [
            new PolicyStatement({
              principals: [new ServicePrincipal('es.amazonaws.com')],
              actions: ['logs:PutLogEvents', 'logs:CreateLogStream'],
              resources: [slowSearch, slowIndex, app].map((g) => g.logGroupArn),
            }),
          ],
        }).toJSON(),
      ),
    });

    const vpc = cfg.vpcId
      ? Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: cfg.vpcId, availabilityZones: this.availabilityZones })
      : undefined;
    if (vpc) {
      this.securityGroup = new SecurityGroup(this, 'DomainSg', {
        vpc,
        description: 'Attune OpenSearch domain and its index function; add client security groups on 443',
        // The index function also calls Secrets Manager (through a NAT or a VPC endpoint).
        allowAllOutbound: true,
      });
      this.securityGroup.connections.allowInternally(Port.tcp(443), 'index function to domain');
    }

    this.domain = new Domain(this, 'Domain', {
      domainName,
      version: EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodes: cfg.dataNodes,
        dataNodeInstanceType: cfg.dataNodeInstanceType,
        ...(cfg.masterNodes > 0
          ? { masterNodes: cfg.masterNodes, masterNodeInstanceType: cfg.masterNodeInstanceType }
          : {}),
        multiAzWithStandbyEnabled: false,
      },
      ebs: { enabled: true, volumeType: EbsDeviceVolumeType.GP3, volumeSize: cfg.volumeGiB },
      zoneAwareness: zoneAware
        ? { enabled: true, availabilityZoneCount: cfg.dataNodes % 3 === 0 ? 3 : 2 }
        : { enabled: false },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: {
        masterUserName: 'attune-admin',
        masterUserPassword: this.masterUserSecret.secretValueFromJson('password'),
      },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: slowSearch,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: slowIndex,
        appLogEnabled: true,
        appLogGroup: app,
      },
      suppressLogsResourcePolicy: true,
      enableVersionUpgrade: true,
      removalPolicy,
    });
    const cfnDomain = this.domain.node.defaultChild as CfnDomain;
    // VPC options on the L1: the L2 would need each imported subnet's availability zone.
    if (this.securityGroup) {
      cfnDomain.vpcOptions = {
        subnetIds: [...cfg.subnetIds],
        securityGroupIds: [this.securityGroup.securityGroupId],
      };
    }
    cfnDomain.addResourceDependency(logPolicy);
    // Set on the L1: the L2's accessPolicies go through an extra SDK custom resource. The ARN is built
    // from the fixed name because the domain cannot reference its own ARN.
    cfnDomain.accessPolicies = new PolicyDocument({
      statements: [
        new PolicyStatement({
          principals: [new StarPrincipal()],
          actions: HTTP_ACTIONS,
          resources: [this.formatArn({ service: 'es', resource: 'domain', resourceName: `${domainName}/*` })],
        }),
      ],
    }).toJSON();
    Validations.of(this.domain).acknowledge({
      id: 'AwsSolutions-OS5',
      reason:
        'Fine-grained access control is the gate (AWS recommends an open domain policy with FGAC): every request must authenticate as the master user or a mapped IAM role, anonymous auth is off and HTTPS/TLS 1.2 is enforced.',
    });
    Validations.of(this.domain).acknowledge({
      id: 'AwsSolutions-OS3',
      reason:
        'No IP allowlist: clients are Lambda functions without fixed addresses; access is authenticated by fine-grained access control (and limited by security groups when in a VPC).',
    });
    if (!vpc) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS1',
        reason:
          'Public endpoint so Lambda functions outside a VPC can reach it; requests authenticate through fine-grained access control over TLS 1.2. Pass -c searchVpcId/searchSubnetIds to place it in a VPC.',
      });
    }
    if (cfg.masterNodes === 0) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS4',
        reason: 'Dedicated master nodes are a production sizing choice: -c searchMasterNodes=3.',
      });
    }
    if (!zoneAware) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS7',
        reason: 'A single data node has no second zone; zone awareness turns on from -c searchDataNodes=2.',
      });
    }

    this.applyIndexFunction = attuneFunction(this, 'ApplyIndex', {
      entry: 'cdk/lib/search/apply-index-handler.ts',
      serviceName: 'attune-search-index',
      description: `Applies the Attune items index mapping (${props.stage})`,
      timeout: Duration.minutes(2),
      retainLogs: prod,
    });
    this.masterUserSecret.grantRead(this.applyIndexFunction);
    if (this.securityGroup) this.placeInVpc(this.applyIndexFunction, [...cfg.subnetIds], this.securityGroup);

    const provider = new Provider(this, 'ApplyIndexProvider', {
      onEventHandler: this.applyIndexFunction,
      logGroup: new LogGroup(this, 'ApplyIndexProviderLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy,
      }),
    });
    // Granular finding ids, acknowledged on the framework's role (an acknowledgement on the Provider does not reach it).
    const frameworkReason =
      'CDK custom-resource Provider framework function: its role (AWSLambdaBasicExecutionRole, lambda:InvokeFunction on the handler and its versions) is set by CDK; it only relays CloudFormation events to ApplyIndex.';
    const fnArn = nagResourceId(this, this.applyIndexFunction.functionArn);
    for (const c of provider.node.findAll()) {
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `AwsSolutions-IAM5[Resource::${fnArn}:*]`,
        'AwsSolutions-L1',
      ]) {
        Validations.of(c).acknowledge({ id, reason: frameworkReason });
      }
    }
    const index = new CustomResource(this, 'ItemsIndex', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::AttuneSearchIndex',
      properties: {
        Endpoint: this.domain.domainEndpoint,
        MasterSecretArn: this.masterUserSecret.secretArn,
        IndexName: itemsIndexName(),
        AliasName: ITEMS_INDEX_ALIAS,
        IndexBody: JSON.stringify(ITEMS_INDEX_BODY),
        ClientRoleArns: (props.clientRoleArns ?? []).join(','),
      },
    });
    index.node.addDependency(this.domain);
  }

  /** attuneFunction has no VPC prop; the L1 properties and ENI permissions are all the L2 would add. */
  private placeInVpc(fn: NodejsFunction, subnetIds: string[], sg: ISecurityGroup): void {
    (fn.node.defaultChild as CfnFunction).vpcConfig = { subnetIds, securityGroupIds: [sg.securityGroupId] };
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
  }
}
