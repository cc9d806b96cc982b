// Evaluates a tree-sitter style grammar.js and prints the equivalent
// grammar.json on stdout.  Usage: node dsl.js path/to/grammar.js
//
// The grammar file is evaluated with the DSL functions installed as globals
// (that is how grammar.js files expect to find them) and must export the value
// returned by grammar({...}) through module.exports.
'use strict';

const path = require('path');

function fail(message) {
  const error = new Error(message);
  error.isGrammarError = true;
  throw error;
}

// A rule created by one of the DSL functions.  Plain strings and regular
// expressions are converted on the way in by normalize().
function normalize(value, where) {
  if (value === undefined || value === null) {
    fail(`Undefined rule${where ? ' in ' + where : ''} (did you reference a rule that does not exist?)`);
  }
  if (typeof value === 'string') return { type: 'STRING', value };
  if (value instanceof RegExp) {
    const rule = { type: 'PATTERN', value: value.source };
    if (value.flags) rule.flags = value.flags;
    return rule;
  }
  if (value instanceof ReferenceError) throw value;
  if (typeof value === 'object' && typeof value.type === 'string') return value;
  fail(`Invalid rule value ${JSON.stringify(value)}${where ? ' in ' + where : ''}`);
}

function blank() { return { type: 'BLANK' }; }

function sym(name) { return { type: 'SYMBOL', name }; }

function seq(...members) {
  return { type: 'SEQ', members: members.map((m) => normalize(m, 'seq')) };
}

function choice(...members) {
  return { type: 'CHOICE', members: members.map((m) => normalize(m, 'choice')) };
}

function optional(value) { return choice(normalize(value, 'optional'), blank()); }

function repeat(value) { return { type: 'REPEAT', content: normalize(value, 'repeat') }; }

function repeat1(value) { return { type: 'REPEAT1', content: normalize(value, 'repeat1') }; }

function checkPrecedence(value, what) {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') return value;
  fail(`${what} expects an integer or a precedence name, got ${JSON.stringify(value)}`);
}

// prec(n, rule), prec.left([n,] rule), prec.right([n,] rule), prec.dynamic(n, rule)
function prec(value, rule) {
  if (rule === undefined) fail('prec() needs both a precedence and a rule');
  return { type: 'PREC', value: checkPrecedence(value, 'prec'), content: normalize(rule, 'prec') };
}
prec.left = function (value, rule) {
  if (rule === undefined) { rule = value; value = 0; }
  return { type: 'PREC_LEFT', value: checkPrecedence(value, 'prec.left'), content: normalize(rule, 'prec.left') };
};
prec.right = function (value, rule) {
  if (rule === undefined) { rule = value; value = 0; }
  return { type: 'PREC_RIGHT', value: checkPrecedence(value, 'prec.right'), content: normalize(rule, 'prec.right') };
};
prec.dynamic = function (value, rule) {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail('prec.dynamic expects an integer');
  return { type: 'PREC_DYNAMIC', value, content: normalize(rule, 'prec.dynamic') };
};

function token(value) { return { type: 'TOKEN', content: normalize(value, 'token') }; }
token.immediate = function (value) {
  return { type: 'IMMEDIATE_TOKEN', content: normalize(value, 'token.immediate') };
};

function field(name, rule) {
  if (typeof name !== 'string' || !name) fail('field() expects a non-empty name');
  return { type: 'FIELD', name, content: normalize(rule, `field ${name}`) };
}

// alias(rule, 'text') makes an anonymous node, alias(rule, $.name) a named one.
function alias(rule, value) {
  const content = normalize(rule, 'alias');
  if (typeof value === 'string') return { type: 'ALIAS', content, named: false, value };
  if (value && value.type === 'SYMBOL') {
    Object.defineProperty(value, 'aliasName', { value: true, enumerable: false });
    return { type: 'ALIAS', content, named: true, value: value.name };
  }
  if (value instanceof ReferenceError) throw value;
  fail(`alias() expects a string or a $.symbol as its second argument, got ${JSON.stringify(value)}`);
}

// The `$` argument of every rule function: any property access is a symbol
// reference, checked against the rule names once all rules are known.
// Every reference is remembered so undefined names can be reported, except
// those only used as an alias name (alias($.x, $.new_name) may invent names).
function symbolProxy(referenced) {
  return new Proxy({}, {
    get(_target, property) {
      if (typeof property !== 'string') return undefined;
      const reference = sym(property);
      referenced.push(reference);
      return reference;
    },
  });
}

function namesOf(list, what) {
  return list.map((entry) => {
    const rule = normalize(entry, what);
    if (rule.type !== 'SYMBOL') fail(`${what} entries must be rule references ($.name)`);
    return rule.name;
  });
}

function grammar(baseGrammar, options) {
  if (options === undefined) { options = baseGrammar; baseGrammar = null; }
  if (!options || typeof options !== 'object') fail('grammar() expects an options object');
  if (typeof options.name !== 'string' || !/^[a-zA-Z_]\w*$/.test(options.name)) {
    fail('grammar() needs a `name` made of letters, digits and underscores');
  }
  if (options.reserved !== undefined) {
    fail('reserved word sets (ABI 15) are not supported by the custody parser generator');
  }

  const referenced = [];
  const $ = symbolProxy(referenced);
  const rules = {};
  const baseRules = baseGrammar ? baseGrammar.rules : {};
  for (const name of Object.keys(baseRules)) rules[name] = baseRules[name];
  const ruleFunctions = options.rules || {};
  if (typeof ruleFunctions !== 'object') fail('`rules` must be an object of functions');
  const ruleNames = Object.keys(ruleFunctions);
  if (!baseGrammar && ruleNames.length === 0) fail('a grammar needs at least one rule');
  for (const name of ruleNames) {
    const fn = ruleFunctions[name];
    if (typeof fn !== 'function') fail(`rule ${name} must be a function ($ => ...)`);
    rules[name] = normalize(fn.call(null, $, baseRules[name]), `rule ${name}`);
  }

  const result = { name: options.name };
  if (options.word) {
    const word = normalize(options.word.call(null, $), 'word');
    if (word.type !== 'SYMBOL') fail('word must be a rule reference');
    result.word = word.name;
  } else if (baseGrammar && baseGrammar.word) {
    result.word = baseGrammar.word;
  }
  result.rules = rules;
  const listOption = (key, fallback) => {
    if (options[key] === undefined) return fallback;
    if (typeof options[key] !== 'function') fail(`${key} must be a function ($ => [...])`);
    const value = options[key].call(null, $, fallback);
    if (!Array.isArray(value)) fail(`${key} must return an array`);
    return value;
  };
  const base = baseGrammar || {};
  result.extras = listOption('extras', base.extras ? base.extras : [/\s/]).map((e) => normalize(e, 'extras'));
  result.conflicts = listOption('conflicts', base.conflicts || []).map((set) => {
    if (!Array.isArray(set)) fail('each conflicts entry must be an array of rules');
    return namesOf(set, 'conflicts');
  });
  result.precedences = listOption('precedences', base.precedences || []).map((list) => {
    if (!Array.isArray(list)) fail('each precedences entry must be an array');
    return list.map((entry) => {
      if (typeof entry === 'string') return { type: 'STRING', value: entry };
      const rule = normalize(entry, 'precedences');
      if (rule.type !== 'SYMBOL') fail('precedences entries must be names or $.rule references');
      return rule;
    });
  });
  // Tokens the grammar's external scanner (src/scanner.c) produces: `$.name` (a name of its
  // own, or a token rule the scanner may also produce) or a string token.
  result.externals = listOption('externals', base.externals || []).map((entry) => {
    const rule = normalize(entry, 'externals');
    if (rule.type !== 'SYMBOL' && rule.type !== 'STRING') {
      fail('externals entries must be $.name references or strings');
    }
    return rule.type === 'SYMBOL' ? { type: 'SYMBOL', name: rule.name } : rule;
  });
  const externalNames = new Set(result.externals.filter((e) => e.type === 'SYMBOL').map((e) => e.name));
  result.inline = namesOf(listOption('inline', base.inline || []), 'inline');
  result.supertypes = namesOf(listOption('supertypes', base.supertypes || []), 'supertypes');

  for (const reference of referenced) {
    if (!reference.aliasName && !Object.prototype.hasOwnProperty.call(rules, reference.name)
        && !externalNames.has(reference.name)) {
      fail(`Undefined symbol '${reference.name}'`);
    }
  }
  return result;
}

const globals = { grammar, seq, choice, optional, repeat, repeat1, prec, token, field, alias, blank, sym };
Object.assign(global, globals);

function main() {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dsl.js path/to/grammar.js\n');
    process.exit(2);
  }
  try {
    const value = require(path.resolve(file));
    const grammarValue = value && value.default ? value.default : value;
    if (!grammarValue || typeof grammarValue !== 'object' || !grammarValue.rules) {
      fail('grammar.js must export the result of grammar({...}) via module.exports');
    }
    process.stdout.write(JSON.stringify(grammarValue, null, 2) + '\n');
  } catch (error) {
    if (error && error.isGrammarError) {
      process.stderr.write(`grammar error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main();
