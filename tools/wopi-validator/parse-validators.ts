import {
  PROPERTY_KINDS,
  type ContentPropertyValidatorDef,
  type ContentStreamValidatorDef,
  type PropertyDef,
  type PropertyKind,
  type ValidatorDef,
} from './model';
import { boolAttr, intAttr, type XmlElement } from './xml-tree';

/** The children of a <Validators> element; an unknown element name is an error, as in ValidatorFactory. */
export function parseValidators(element: XmlElement): ValidatorDef[] {
  return element.children.map(parseValidator);
}

function parseValidator(element: XmlElement): ValidatorDef {
  const attr = (name: string): string | undefined => element.attrs[name];
  switch (element.name) {
    case 'And':
    case 'Or':
      return { kind: element.name, children: element.children.map(parseValidator) };
    case 'ResponseCodeValidator': {
      const expected = intAttr(element, 'ExpectedCode');
      if (expected === undefined) {
        throw new Error('<ResponseCodeValidator> needs ExpectedCode');
      }
      return { kind: 'ResponseCode', expected };
    }
    case 'ResponseHeaderValidator': {
      const header = attr('Header');
      if (header === undefined) {
        throw new Error('<ResponseHeaderValidator> needs Header');
      }
      const comparator = attr('Comparator');
      return {
        kind: 'ResponseHeader',
        header,
        expectedValue: attr('ExpectedValue'),
        expectedStateKey: attr('ExpectedStateKey'),
        comparator: comparator === undefined || comparator.trim() === '' ? '=' : comparator,
        isRequired: boolAttr(element, 'IsRequired') ?? false,
        shouldMatch: boolAttr(element, 'ShouldMatch') ?? true,
      };
    }
    case 'LockMismatchValidator':
      return { kind: 'LockMismatch', expectedLock: attr('ExpectedLock') };
    case 'ResponseContentValidator': {
      const resourceId = attr('ExpectedResourceId');
      const expectedBody = attr('ExpectedBodyContent');
      if (resourceId && expectedBody) {
        throw new Error(
          '<ResponseContentValidator> has both ExpectedResourceId and ExpectedBodyContent',
        );
      }
      return { kind: 'ResponseContent', resourceId, expectedBody };
    }
    case 'JsonSchemaValidator': {
      const schema = attr('Schema');
      if (schema === undefined) {
        throw new Error('<JsonSchemaValidator> needs Schema');
      }
      return { kind: 'JsonSchema', schema };
    }
    case 'JsonResponseContentValidator':
      return {
        kind: 'JsonResponseContent',
        shouldExist: boolAttr(element, 'ShouldExist') ?? true,
        properties: element.children.map(parseProperty),
      };
    case 'FramesValidator':
      return parseFramesValidator(element);
    default:
      throw new Error(`Unknown validator: '${element.name}'`);
  }
}

function parseProperty(element: XmlElement): PropertyDef {
  if (!(PROPERTY_KINDS as readonly string[]).includes(element.name)) {
    throw new Error(`Unknown property type: '${element.name}'`);
  }
  const kind = element.name as PropertyKind;
  const name = element.attrs['Name'];
  if (name === undefined) {
    throw new Error(`<${kind}> needs Name`);
  }
  const expectedValue = element.attrs['ExpectedValue'];
  // Typed expected values are converted when the suite is read, as ValidatorFactory casts them.
  if (kind === 'BooleanProperty') {
    boolAttr(element, 'ExpectedValue');
  } else if (kind === 'IntegerProperty' || kind === 'ArrayLengthProperty') {
    intAttr(element, 'ExpectedValue');
  } else if (kind === 'LongProperty') {
    intAttr(element, 'ExpectedValue', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  } else if (kind === 'StringRegexProperty') {
    if (expectedValue === undefined) {
      throw new Error(
        `<StringRegexProperty Name="${name}"> needs ExpectedValue (a regular expression)`,
      );
    }
    new RegExp(expectedValue);
  }
  return {
    kind,
    name,
    isRequired: boolAttr(element, 'IsRequired') ?? false,
    expectedValue,
    expectedStateKey: element.attrs['ExpectedStateKey'],
    endsWith: element.attrs['EndsWith'],
    containsValue: element.attrs['ContainsValue'],
    shouldMatch: boolAttr(element, 'ShouldMatch') ?? true,
    mustIncludeAccessToken: boolAttr(element, 'MustIncludeAccessToken') ?? false,
    ignoreCase: boolAttr(element, 'IgnoreCase') ?? false,
  };
}

function parseFramesValidator(element: XmlElement): ValidatorDef {
  const named = (name: string): XmlElement[] =>
    element.children.filter((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
  const streams = named('ContentStreamValidator').map((stream): ContentStreamValidatorDef => {
    const def: ContentStreamValidatorDef = {
      streamId: stream.attrs['StreamId'],
      expectedChunkingScheme: stream.attrs['ExpectedChunkingScheme'],
      expectedContent: stream.attrs['ExpectedContent'],
      expectedContentResourceId: stream.attrs['ExpectedContentResourceId'],
      alreadyExistingContent: stream.attrs['AlreadyExistingContent'],
      alreadyExistingContentResourceId: stream.attrs['AlreadyExistingContentResourceId'],
    };
    checkStreamValidator(def);
    return def;
  });
  const properties = named('ContentPropertyValidator').map(
    (property): ContentPropertyValidatorDef => {
      if (!property.attrs['Name']?.trim()) {
        throw new Error('ContentPropertyValidator cannot have empty name.');
      }
      return {
        name: property.attrs['Name'],
        expectedValue: property.attrs['ExpectedValue'] ?? '',
        expectedRetention: property.attrs['ExpectedRetention'] ?? '',
        shouldBeReturned: boolAttr(property, 'ShouldBeReturned') ?? true,
      };
    },
  );
  return {
    kind: 'Frames',
    messageJsonPayloadSchema: element.attrs['MessageJsonPayloadSchema'],
    expectedHostBlobsCount: intAttr(element, 'ExpectedHostBlobsCount'),
    streams,
    properties,
  };
}

/** FramesValidator.ContentStreamValidator's constructor checks. */
function checkStreamValidator(def: ContentStreamValidatorDef): void {
  if (!def.streamId?.trim()) {
    throw new Error('ContentStreamValidator cannot have empty streamId.');
  }
  const scheme = def.expectedChunkingScheme;
  if (scheme === undefined || !['fullfile', 'zip'].includes(scheme.trim().toLowerCase())) {
    throw new Error(
      `ContentStreamValidator ExpectedChunkingScheme "${String(scheme)}" can not be parsed to enum.`,
    );
  }
  const pair =
    scheme === 'FullFile'
      ? {
          main: def.expectedContent,
          existing: def.alreadyExistingContent,
          others: [def.expectedContentResourceId, def.alreadyExistingContentResourceId],
        }
      : scheme === 'Zip'
        ? {
            main: def.expectedContentResourceId,
            existing: def.alreadyExistingContentResourceId,
            others: [def.expectedContent, def.alreadyExistingContent],
          }
        : undefined;
  if (!pair || (pair.main === undefined && pair.existing === undefined)) {
    return;
  }
  if (
    pair.main === undefined ||
    pair.existing === undefined ||
    pair.others.some((other) => other !== undefined)
  ) {
    throw new Error(
      `ContentStreamValidator ${def.streamId}: ${scheme} needs both expected and already existing content of its kind, and nothing else`,
    );
  }
}
