import { cs3WopiFixture } from '../support/wopi/cs3-wopi-fixture';
import { describeWopiEditorSequences } from '../support/wopi/editor-sequences';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';

describeWopiEditorSequences('local adapter', () => localWopiFixture());
describeWopiEditorSequences('CS3 adapter', () => cs3WopiFixture());
