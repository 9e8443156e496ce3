import type { Type } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { ValidationTypes, getMetadataStorage } from 'class-validator';

/** Rules that read a field's value as it came, with nothing for class-transformer to build. */
const FLAT_RULES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
]);

/** One entry per DTO class named in a handler: fixed by the code, never by a request. */
const known = new Map<Type<object>, readonly string[] | null>();

/**
 * The fields of a DTO whose validation needs no class-transformer: every rule is a value check
 * (no nested class, no promise, no `@Allow`), and class-transformer has nothing to do for the class
 * (no `@Type`, `@Transform`, `@Expose`, `@Exclude`). Null for any other class, which then goes
 * through the library's full pipe. Worked out once per class.
 */
export function flatFieldsOf(metatype: Type<object>): readonly string[] | null {
  let fields = known.get(metatype);
  if (fields === undefined) {
    fields = findFlatFields(metatype);
    known.set(metatype, fields);
  }
  return fields;
}

function findFlatFields(metatype: Type<object>): string[] | null {
  const rules = getMetadataStorage().getTargetValidationMetadatas(
    metatype,
    '',
    false,
    false,
  );
  if (rules.length === 0 || rules.some((rule) => !FLAT_RULES.has(rule.type))) {
    return null;
  }
  const fields = [...new Set(rules.map((rule) => rule.propertyName))];
  const transformed =
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
    );
  return transformed ? null : fields;
}
