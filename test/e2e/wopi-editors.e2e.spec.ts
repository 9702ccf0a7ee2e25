import { describeWopiEditorSequences } from '../support/wopi/editor-sequences';
import { localWopiFixture } from '../support/wopi/local-wopi-fixture';

describeWopiEditorSequences('local adapter', () => localWopiFixture());
