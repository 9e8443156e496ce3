import type { Type } from '@nestjs/common';
import {
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
  getMetadataStorage,
} from 'class-validator';

/** One class-validator rule, as its metadata storage answers it. */
type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/** Rules that read a field's value as it came, with nothing for class-transformer to build. */
const FLAT_RULES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
]);

/** One field's rules, in the order class-validator runs them. */
interface FieldRules {
  field: string;
  /** `@IsOptional`, `@ValidateIf`: when one says no, the field is not checked at all. */
  conditions: ValidationMetadata[];
  /** `@IsDefined` first, then every other check. */
  checks: {
    rule: ValidationMetadata;
    validators: ValidatorConstraintInterface[];
  }[];
}

/** One entry per DTO class named in a handler: fixed by the code, never by a request. */
const known = new Map<Type<object>, FlatDto | null>();

/** Classes declared with `@Flat()`: the class itself, not the one it extends. */
const declaredFlat = new WeakSet<object>();

/**
 * Declares that class-transformer has nothing to do for this DTO (no `@Type`, `@Transform`,
 * `@Expose`, `@Exclude` on it or the class it extends): its fields are validated as they came,
 * so RequestValidationPipe may skip class-transformer's copy in and out. A class that extends a
 * flat DTO is flat only when it says so too.
 */
export function Flat(): ClassDecorator {
  return (target) => {
    declaredFlat.add(target);
  };
}

/**
 * A DTO declared `@Flat()` whose rules are all value checks (no nested class, no `@Allow`). Its
 * rules are read from class-validator's metadata once, so a request that passes them costs only
 * the checks themselves: class-validator's `validate` looks the metadata up again on every call
 * (a walk over every validated class), and answers through promises even when every check is
 * synchronous. With class-transformer's copies, the library's path costs 4-26% more CPU per
 * sign-in (ab.js paired runs, Node 24, docs/performance.md).
 */
export class FlatDto {
  private constructor(
    /** The declared fields, the only ones an instance is given (what `whitelist` would keep). */
    readonly fields: readonly string[],
    private readonly rules: readonly FieldRules[],
  ) {}

  /** Null for any other class, which then goes through the library's full pipe. */
  static of(metatype: Type<object>): FlatDto | null {
    let dto = known.get(metatype);
    if (dto === undefined) {
      const read = readFlatDto(metatype);
      dto = read ? new FlatDto(read.fields, read.rules) : null;
      known.set(metatype, dto);
    }
    return dto;
  }

  /**
   * True when every rule passes, decided synchronously. False means "not shown valid here": a
   * failure, a check that answered with a promise (an asynchronous rule, flagged or not), or a
   * rule applied to each item of a collection. The caller then asks class-validator itself, which
   * stays the one authority on every refusal and its message.
   */
  accepts(entity: object): boolean {
    for (const { field, conditions, checks } of this.rules) {
      const value = (entity as Record<string, unknown>)[field];
      // Truthy, not true: the test class-validator applies to a condition's answer.
      if (!conditions.every((rule) => condition(rule)(entity, value))) continue;
      for (const { rule, validators } of checks) {
        if (rule.validateIf && !rule.validateIf(entity, value)) continue;
        if (rule.each) return false;
        const args: ValidationArguments = {
          targetName: entity.constructor?.name,
          property: field,
          object: entity,
          value,
          constraints: rule.constraints,
        };
        for (const validator of validators) {
          const valid: unknown = validator.validate(value, args);
          if (!valid || isThenable(valid)) return false;
        }
      }
    }
    return true;
  }
}

function readFlatDto(
  metatype: Type<object>,
): { fields: string[]; rules: FieldRules[] } | null {
  if (!declaredFlat.has(metatype)) return null;
  const storage = getMetadataStorage();
  // The same look-up class-validator makes for options without groups or `always`.
  const rules = storage.getTargetValidationMetadatas(
    metatype,
    '',
    false,
    false,
  );
  if (rules.length === 0 || rules.some((rule) => !FLAT_RULES.has(rule.type))) {
    return null;
  }
  const fields = [...new Set(rules.map((rule) => rule.propertyName))];
  const of = (field: string, type: string) =>
    rules.filter((rule) => rule.propertyName === field && rule.type === type);
  const withValidators = (rule: ValidationMetadata) => ({
    rule,
    validators: storage
      .getTargetValidatorConstraints(rule.constraintCls)
      .map((constraint) => constraint.instance),
  });
  return {
    fields,
    rules: fields.map((field) => ({
      field,
      conditions: of(field, ValidationTypes.CONDITIONAL_VALIDATION),
      checks: [
        ...of(field, ValidationTypes.IS_DEFINED),
        ...of(field, ValidationTypes.CUSTOM_VALIDATION),
      ].map(withValidators),
    })),
  };
}

function condition(
  rule: ValidationMetadata,
): (object: object, value: unknown) => unknown {
  return rule.constraints[0] as (object: object, value: unknown) => unknown;
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
