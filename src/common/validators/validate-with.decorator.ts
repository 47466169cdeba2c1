import { registerDecorator, type ValidationArguments } from 'class-validator';

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
