import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HttpFunctionName } from "../adapters/function-declarations";
import { PROJECT } from "./config";

/** The functions ElevenLabs calls over HTTP; each is served at its declared `POST /<path>`. */
export type RouteKey = HttpFunctionName;

/** One route: the function behind it and the path its declaration names. */
interface RouteTarget {
  readonly function: aws.lambda.Function;
  readonly path: string;
}

/** Inputs of {@link Api}. */
export interface ApiArgs {
  /** `elevenlabs-agentic-memory-<stack>`. */
  prefix: string;
  /** The function behind each route. */
  targets: Readonly<Record<RouteKey, RouteTarget>>;
  /** Steady-state requests per second across the stage. */
  throttleRateLimit: number;
  throttleBurstLimit: number;
  logRetentionDays: number;
}

/**
 * One access-log line per request, JSON. Deliberately no bodies, headers or query strings:
 * those carry caller phone numbers and the workspace key.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integrationStatus",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
});

/**
 * The API Gateway v2 HTTP API: `POST /client-data`, `POST /retrieve`, `POST /post-call` as Lambda
 * proxy integrations (payload format 2.0), on an auto-deployed `$default` stage with throttling and
 * JSON access logs.
 */
export class Api extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  /** Full URL of each route (stage invoke URL + route path). */
  readonly urls: Readonly<Record<RouteKey, pulumi.Output<string>>>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${PROJECT}:infra:Api`, name, {}, opts);
    const child = { parent: this };

    this.api = new aws.apigatewayv2.Api(
      `${args.prefix}-api`,
      { name: `${args.prefix}-api`, protocolType: "HTTP", description: "ElevenLabs webhooks and server tool" },
      child,
    );

    const routes = (Object.entries(args.targets) as [RouteKey, RouteTarget][]).map(([key, { function: target, path }]) => {
      const integration = new aws.apigatewayv2.Integration(
        `${args.prefix}-${key}`,
        {
          apiId: this.api.id,
          integrationType: "AWS_PROXY",
          integrationMethod: "POST",
          integrationUri: target.arn,
          payloadFormatVersion: "2.0",
        },
        child,
      );
      new aws.lambda.Permission(
        `${args.prefix}-${key}-apigateway`,
        {
          action: "lambda:InvokeFunction",
          function: target.name,
          principal: "apigateway.amazonaws.com",
          // Only this route of this API may invoke the function.
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/POST${path}`,
        },
        child,
      );
      return new aws.apigatewayv2.Route(
        `${args.prefix}-${key}`,
        { apiId: this.api.id, routeKey: `POST ${path}`, target: pulumi.interpolate`integrations/${integration.id}` },
        child,
      );
    });

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${args.prefix}-api-access`,
      { name: `/aws/apigateway/${args.prefix}-api`, retentionInDays: args.logRetentionDays },
      child,
    );

    this.stage = new aws.apigatewayv2.Stage(
      `${args.prefix}-api`,
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttleRateLimit,
          throttlingBurstLimit: args.throttleBurstLimit,
        },
        accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      },
      { ...child, dependsOn: routes },
    );

    const base = this.stage.invokeUrl.apply((url) => url.replace(/\/+$/, ""));
    this.urls = Object.fromEntries(
      (Object.entries(args.targets) as [RouteKey, RouteTarget][]).map(([key, { path }]) => [key, pulumi.interpolate`${base}${path}`]),
    ) as Record<RouteKey, pulumi.Output<string>>;

    this.registerOutputs({ urls: this.urls });
  }
}
