import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { AUDIENCE_KEY, type Audience } from '@gemeng/core';
import { startTestApi, type TestApi } from './support/test-api';

const RESOLVER_TYPE = 'graphql:resolver_type';
const RESOLVER_NAME = 'graphql:resolver_name';

interface RootField {
  operation: 'query' | 'mutation';
  name: string;
  audiences: Audience[] | undefined;
}

/** Every root query and mutation the application declares, with who may call it. */
function rootFields(api: TestApi): RootField[] {
  const fields: RootField[] = [];
  for (const module of api.app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        // Read descriptors, not properties: some providers have getters that must not run here.
        const method: unknown = Object.getOwnPropertyDescriptor(prototype, key)?.value;
        if (typeof method !== 'function') continue;
        const type = Reflect.getMetadata(RESOLVER_TYPE, method) as string | undefined;
        if (type !== 'Query' && type !== 'Mutation') continue;
        const audiences =
          (Reflect.getMetadata(AUDIENCE_KEY, method) as Audience[] | undefined) ??
          (Reflect.getMetadata(AUDIENCE_KEY, wrapper.metatype) as Audience[] | undefined);
        fields.push({
          operation: type === 'Query' ? 'query' : 'mutation',
          name: (Reflect.getMetadata(RESOLVER_NAME, method) as string | undefined) ?? key,
          audiences,
        });
      }
    }
  }
  return fields;
}

/** A literal of the argument's type that GraphQL accepts; refused calls never reach the resolver. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'false';
    return '"x"';
  }
  throw new Error(`No literal for ${String(type)}`);
}

function selection(api: TestApi, field: RootField): string {
  const schema = api.app.get(GraphQLSchemaHost).schema;
  const root = field.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  const definition = root?.getFields()[field.name];
  if (!definition) throw new Error(`${field.name} is not in the schema`);
  const args = definition.args
    .filter((a: GraphQLArgument) => isNonNullType(a.type))
    .map((a: GraphQLArgument) => `${a.name}: ${literal(a.type)}`);
  const named = getNamedType(definition.type);
  const sub = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${field.operation} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${sub} }`;
}

/** The callers the platform knows today, each with where it calls from. */
const CALLERS: { name: string; audience: Audience | 'nobody'; host: string; operator?: boolean }[] = [
  { name: 'anonymous on a commune host', audience: 'commune-public', host: 'esch.localhost' },
  { name: 'the operator on the operator host', audience: 'operator', host: 'operator.localhost', operator: true },
  { name: 'anonymous on the operator host', audience: 'nobody', host: 'operator.localhost' },
  { name: 'the operator token on a commune host', audience: 'commune-public', host: 'esch.localhost', operator: true },
];

describe('Access matrix: who may call every query and mutation', () => {
  let api: TestApi;
  let fields: RootField[];

  beforeAll(async () => {
    api = await startTestApi({ communes: ['esch'] });
    fields = rootFields(api);
  });
  afterAll(() => api.close());

  it('finds every root field of the schema among the resolvers', () => {
    const schema = api.app.get(GraphQLSchemaHost).schema;
    const inSchema = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((n) => `query ${n}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((n) => `mutation ${n}`),
    ].sort();
    expect(fields.map((f) => `${f.operation} ${f.name}`).sort()).toEqual(inSchema);
  });

  it('has a rule for every query and mutation (a new field without one fails here)', () => {
    const withoutRule = fields.filter((f) => !f.audiences?.length).map((f) => f.name);
    expect(withoutRule).toEqual([]);
  });

  it('refuses every field to every caller it does not name, before any resolver runs', async () => {
    const refusals: string[] = [];
    for (const field of fields) {
      for (const caller of CALLERS) {
        if (field.audiences?.includes(caller.audience as Audience)) continue;
        let client = api.on(caller.host);
        if (caller.operator) client = client.asOperator();
        const result = await client.query(selection(api, field));
        const code = result.errors?.[0]?.extensions?.code;
        if (code !== 'FORBIDDEN' && code !== 'UNAUTHENTICATED') {
          refusals.push(`${field.name} for ${caller.name}: ${JSON.stringify(result.errors ?? result.data)}`);
        }
      }
    }
    expect(refusals).toEqual([]);
    // Nothing was changed by the refused mutations.
    expect(await api.on('esch.localhost').ok('{ commune { slug } }')).toEqual({ commune: { slug: 'esch' } });
  });
});
