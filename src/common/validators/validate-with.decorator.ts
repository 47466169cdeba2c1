import { registerDecorator, type ValidationArguments } from 'class-validator';
import { listedProblems } from '../listed-problems';

/**
 * A one-off class-validator rule: `validate` decides, `message` says what is wrong (it may use the value). Spares
 * each custom rule the registerDecorator boilerplate.
 */
export function ValidateWith(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: string | ((args: ValidationArguments) => string),
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message },
      validator: { validate },
    });
}

/**
 * A rule that lists a value's problems (none: valid). The message joins them, the first 20 listed (a map of hundreds
 * of faulty points still gets a message of bounded size). The problems are found once: class-validator asks for the
 * message right after the check, with the same object.
 */
export function ValidateProblems(
  name: string,
  problems: (value: unknown, args: ValidationArguments) => readonly string[],
): PropertyDecorator {
  const found = new WeakMap<object, readonly string[]>();
  return ValidateWith(
    name,
    (value, args) => {
      const list = problems(value, args);
      if (list.length === 0) return true;
      found.set(args.object, list);
      return false;
    },
    (args) => {
      const list = found.get(args.object) ?? problems(args.value, args);
      found.delete(args.object);
      return listedProblems(list).join('; ');
    },
  );
}
