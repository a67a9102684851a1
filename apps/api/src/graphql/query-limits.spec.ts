import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { depthLimitRule } from './query-limits';

const schema = buildSchema(`
  type Department { name: String, parent: Department }
  type Query { department: Department }
`);

function errors(query: string, max = 3): string[] {
  return validate(schema, parse(query), [...specifiedRules, depthLimitRule(max)]).map((e) => e.message);
}

describe('depth limit', () => {
  it('accepts a query at the limit', () => {
    expect(errors('{ department { parent { name } } }')).toEqual([]);
  });

  it('refuses a query one level deeper, saying how deep it is', () => {
    expect(errors('{ department { parent { parent { name } } } }')).toEqual([
      'The query is 4 levels deep; at most 3 are allowed',
    ]);
  });

  it('counts the depth that fragments and inline fragments add', () => {
    const query = `
      query { department { ...Up } }
      fragment Up on Department { parent { ... on Department { parent { name } } } }`;
    expect(errors(query)).toEqual(['The query is 4 levels deep; at most 3 are allowed']);
  });

  it('does not count introspection fields', () => {
    expect(errors('{ __schema { types { fields { type { ofType { name } } } } } }', 2)).toEqual([]);
  });
});
