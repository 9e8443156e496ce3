import type { Type } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  ValidationArguments,
  ValidationTypes,
  ValidatorConstraintInterface,
  getMetadataStorage,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

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

/**
 * A DTO whose validation needs no class-transformer: every rule is a value check (no nested
 * class, no `@Allow`), and class-transformer has nothing to do for the class (no `@Type`,
 * `@Transform`, `@Expose`, `@Exclude`). Its rules are read from class-validator's metadata once,
 * so a request that passes them costs only the checks themselves: class-validator's `validate`
 * looks the metadata up again on every call (a walk over every validated class), and answers
 * through promises even when every check is synchronous.
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
  if (transformed(metatype, fields)) return null;
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

function transformed(metatype: Type<object>, fields: string[]): boolean {
  return (
    defaultMetadataStorage.getStrategy(metatype) !== 'none' ||
    defaultMetadataStorage.getExposedMetadatas(metatype).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(metatype).length > 0 ||
    fields.some(
      (field) =>
        defaultMetadataStorage.findTypeMetadata(metatype, field) !==
          undefined ||
        defaultMetadataStorage.findTransformMetadatas(
          metatype,
          field,
          TransformationType.PLAIN_TO_CLASS,
        ).length > 0 ||
        defaultMetadataStorage.findTransformMetadatas(
          metatype,
          field,
          TransformationType.CLASS_TO_PLAIN,
        ).length > 0,
    )
  );
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
