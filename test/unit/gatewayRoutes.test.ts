// The gateway's route table from templates: SAM events and APIs, OpenAPI bodies, CloudFormation API resources, and file:line errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isWorkbenchError } from '../../src/core/common/errors';
import { routeKey } from '../../src/core/gateway/gatewayModel';
import { readRouteTable } from '../../src/core/gateway/routeTable';
import { FunctionRegistry } from '../../src/core/service/functionRegistry';

const dir = mkdtempSync(join(tmpdir(), 'lwb-gateway-routes-'));
let count = 0;

const HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: ./
    Handler: app.handler
`;

async function table(resources: string, extra = '') {
  const file = join(dir, `template-${++count}.yaml`);
  writeFileSync(file, `${HEADER}${extra}Resources:\n${resources}`);
  return readRouteTable(await FunctionRegistry.fromTemplates([file]));
}

function keys(routes: { method: string; path: string; api: { id: string } }[]): string[] {
  return routes.map((route) => `${route.api.id} ${routeKey(route)}`);
}

describe('gateway route table', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads HttpApi and Api events onto the implicit APIs, with Globals and AutoPublishAlias', async () => {
    const result = await table(`
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      Events:
        Get: { Type: HttpApi, Properties: { Path: '/a/{id}', Method: get, TimeoutInMillis: 5000 } }
        Default: { Type: HttpApi }
        Rest: { Type: Api, Properties: { Path: /r, Method: ANY } }
        Queue: { Type: SQS, Properties: { Queue: arn:aws:sqs:us-east-1:123456789012:q } }
`, `  HttpApi:
    CorsConfiguration: true
  Api:
    BinaryMediaTypes: [image~1png]
`);
    assert.deepEqual(keys(result.routes), ['ServerlessHttpApi GET /a/{id}', 'ServerlessHttpApi $default', 'ServerlessRestApi ANY /r']);
    const [get, , rest] = result.routes;
    assert.equal(get.functionName, 'Fn:live');
    assert.equal(get.timeoutMs, 5000);
    assert.equal(get.payloadFormat, '2.0');
    assert.deepEqual(get.api.cors?.allowOrigins, ['*']);
    assert.equal(rest.payloadFormat, '1.0');
    assert.equal(rest.api.stageName, 'Prod');
    assert.deepEqual(rest.api.binaryMediaTypes, ['image/png']);
    assert.equal(get.location?.line, 19);
  });

  it('reads OpenAPI DefinitionBody routes with x-amazon-apigateway-integration', async () => {
    const result = await table(`
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /pets/{petId}:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
                payloadFormatVersion: '1.0'
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration: { type: aws_proxy, uri: !GetAtt Fn.Arn, timeoutInMillis: 1200 }
          /mock:
            get:
              x-amazon-apigateway-integration: { type: mock }
  Fn:
    Type: AWS::Serverless::Function
`);
    assert.deepEqual(keys(result.routes), ['Api GET /pets/{petId}', 'Api ANY /pets/{petId}']);
    assert.equal(result.routes[0].payloadFormat, '1.0');
    assert.equal(result.routes[1].timeoutMs, 1200);
    assert.ok(result.warnings.some((warning) => warning.includes('GET /mock has a mock integration')));
  });

  it('reads AWS::ApiGatewayV2 APIs, stages, integrations, routes and authorizers, and quick-create targets', async () => {
    const result = await table(`
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: things, ProtocolType: HTTP }
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: { ApiId: !Ref HttpApi, StageName: beta, StageVariables: { mode: test } }
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: { ApiId: !Ref HttpApi, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn, PayloadFormatVersion: '1.0', TimeoutInMillis: 7000 }
  Authorizer:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref HttpApi
      AuthorizerType: REQUEST
      AuthorizerUri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Auth.Arn}/invocations
      AuthorizerPayloadFormatVersion: '2.0'
      EnableSimpleResponses: true
      IdentitySource: [$request.header.Authorization]
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties: { ApiId: !Ref HttpApi, RouteKey: 'GET /things/{id}', Target: !Sub 'integrations/\${Integration}', AuthorizationType: CUSTOM, AuthorizerId: !Ref Authorizer }
  Quick:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: quick, ProtocolType: HTTP, Target: !GetAtt Fn.Arn }
  Fn:
    Type: AWS::Serverless::Function
  Auth:
    Type: AWS::Serverless::Function
`);
    assert.deepEqual(keys(result.routes), ['Quick $default', 'HttpApi GET /things/{id}']);
    const route = result.routes[1];
    assert.equal(route.payloadFormat, '1.0');
    assert.equal(route.timeoutMs, 7000);
    assert.equal(route.api.stageName, 'beta');
    assert.deepEqual(route.api.stageVariables, { mode: 'test' });
    assert.deepEqual(route.authorizer, { type: 'REQUEST', name: 'Authorizer', functionName: 'Auth', identitySources: ['$request.header.Authorization'], payloadFormat: '2.0', simpleResponses: true, resultTtlSeconds: 0 });
  });

  it('reads AWS::ApiGateway REST APIs: nested resources, AWS_PROXY methods, authorizers, API keys and stages', async () => {
    const result = await table(`
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties: { Name: pets, BinaryMediaTypes: [application/octet-stream] }
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Rest, ParentId: !GetAtt Rest.RootResourceId, PathPart: pets }
  Pet:
    Type: AWS::ApiGateway::Resource
    Properties: { RestApiId: !Ref Rest, ParentId: !Ref Pets, PathPart: '{petId}' }
  TokenAuth:
    Type: AWS::ApiGateway::Authorizer
    Properties: { RestApiId: !Ref Rest, Type: TOKEN, IdentitySource: method.request.header.X-Token, AuthorizerUri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Auth.Arn}/invocations' }
  GetPet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Pet
      HttpMethod: GET
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref TokenAuth
      ApiKeyRequired: true
      Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
  Cors:
    Type: AWS::ApiGateway::Method
    Properties: { RestApiId: !Ref Rest, ResourceId: !Ref Pet, HttpMethod: OPTIONS, Integration: { Type: MOCK } }
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: { RestApiId: !Ref Rest, StageName: v1, Variables: { db: pets-v1 } }
  Key:
    Type: AWS::ApiGateway::ApiKey
    Properties: { Value: key-12345678901234567890 }
  Fn:
    Type: AWS::Serverless::Function
  Auth:
    Type: AWS::Serverless::Function
`);
    assert.deepEqual(keys(result.routes), ['Rest GET /pets/{petId}']);
    const [route] = result.routes;
    assert.equal(route.api.kind, 'REST');
    assert.equal(route.api.stageName, 'v1');
    assert.deepEqual(route.api.apiKeys, ['key-12345678901234567890']);
    assert.equal(route.apiKeyRequired, true);
    assert.equal(route.authorizer?.type, 'TOKEN');
    assert.deepEqual(route.authorizer?.identitySources, ['$request.header.X-Token']);
    assert.deepEqual(result.warnings, []);
  });

  it('reads AWS_IAM routes, authorizer result TTLs (REST 300 s, HTTP off by default) and Cognito user pools', async () => {
    const result = await table(`
  Rest:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        Authorizers:
          Token: { FunctionArn: !GetAtt Auth.Arn }
          Quick: { FunctionArn: !GetAtt Auth.Arn, Identity: { ReauthorizeEvery: 0 } }
          Pool: { UserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc' }
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        EnableIamAuthorizer: true
        Authorizers:
          Lam: { FunctionArn: !GetAtt Auth.Arn, Identity: { Headers: [x-a] } }
          Cached: { FunctionArn: !GetAtt Auth.Arn, Identity: { Headers: [x-a], ReauthorizeEvery: 60 } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Token: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /token, Method: get, Auth: { Authorizer: Token } } }
        Quick: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /quick, Method: get, Auth: { Authorizer: Quick } } }
        Pool: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /pool, Method: get, Auth: { Authorizer: Pool } } }
        RestIam: { Type: Api, Properties: { RestApiId: !Ref Rest, Path: /iam, Method: get, Auth: { Authorizer: AWS_IAM } } }
        Lam: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /lam, Method: get, Auth: { Authorizer: Lam } } }
        Cached: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /cached, Method: get, Auth: { Authorizer: Cached } } }
        HttpIam: { Type: HttpApi, Properties: { ApiId: !Ref Http, Path: /iam, Method: get, Auth: { Authorizer: AWS_IAM } } }
  Auth:
    Type: AWS::Serverless::Function
`);
    const byKey = new Map(result.routes.map((route) => [`${route.api.id} ${routeKey(route)}`, route]));
    const ttl = (key: string) => {
      const authorizer = byKey.get(key)?.authorizer;
      return authorizer && authorizer.type !== 'JWT' ? authorizer.resultTtlSeconds : undefined;
    };
    assert.equal(ttl('Rest GET /token'), 300);
    assert.equal(ttl('Rest GET /quick'), 0);
    assert.equal(ttl('Http GET /lam'), 0);
    assert.equal(ttl('Http GET /cached'), 60);
    assert.deepEqual(byKey.get('Rest GET /pool')?.authorizer, {
      type: 'JWT', name: 'Pool', identitySources: ['$request.header.Authorization'], issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', audience: [], cognito: true,
    });
    assert.deepEqual(result.routes.filter((route) => route.iamAuth).map((route) => `${route.api.id} ${routeKey(route)}`), ['Rest GET /iam', 'Http GET /iam']);
    assert.equal(byKey.get('Rest GET /iam')?.authorizer, undefined);
  });

  it('reads a local DefinitionUri, and fails at its line when the file is missing', async () => {
    writeFileSync(join(dir, 'spec.yaml'), `openapi: '3.0.1'
paths:
  /signed:
    get:
      security: [{ sigv4: [] }]
      x-amazon-apigateway-integration: { type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:123456789012:function:Fn' }
components:
  securitySchemes:
    sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }
`);
    const result = await table(`
  Api:
    Type: AWS::Serverless::HttpApi
    Properties: { DefinitionUri: ./spec.yaml }
  Fn:
    Type: AWS::Serverless::Function
`);
    assert.deepEqual(result.routes.map((route) => [routeKey(route), route.iamAuth, route.functionName]), [['GET /signed', true, 'Fn']]);
    const missing = table(`
  Api:
    Type: AWS::Serverless::Api
    Properties: { StageName: x, DefinitionUri: ./nowhere.yaml }
  Fn:
    Type: AWS::Serverless::Function
`);
    await assert.rejects(missing, (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /cannot read its DefinitionUri \.\/nowhere\.yaml/.test(error.message) && error.options.location?.line === 12);
  });

  it('fails with file:line when a route points at a function, API or authorizer the template does not have', async () => {
    const missingFunction = table(`
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: { ProtocolType: HTTP }
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationUri: arn:aws:lambda:us-east-1:123456789012:function:Gone
  Fn:
    Type: AWS::Serverless::Function
`);
    await assert.rejects(missingFunction, (error) => {
      assert.ok(isWorkbenchError(error, 'TEMPLATE_INVALID'));
      assert.match(error.message, /points at function 'Gone', which is not a function of this template/);
      assert.equal(error.options.location?.line, 18);
      return true;
    });
    const missingApi = table(`
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: HttpApi, Properties: { ApiId: !Ref Nowhere, Path: /x, Method: GET } }
`);
    await assert.rejects(missingApi, (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /names API 'Nowhere'/.test(error.message) && error.options.location?.line === 14);
    const missingAuthorizer = table(`
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: { Type: Api, Properties: { Path: /x, Method: GET, Auth: { Authorizer: Ghost } } }
`);
    await assert.rejects(missingAuthorizer, (error) => isWorkbenchError(error, 'TEMPLATE_INVALID') && /uses authorizer 'Ghost'/.test(error.message) && error.options.location?.line === 14);
  });
});
