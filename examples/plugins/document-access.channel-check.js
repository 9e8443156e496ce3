/**
 * `document-access`: a channel check written with `defineChannelCheck`. Who may join a document's
 * channels (`private-doc-<document>`, `presence-doc-<document>`) is listed in a JSON file, each
 * viewer with the `user_info` other members see on the document's presence channel:
 *
 *   { "roadmap": { "alice": { "name": "Alice", "role": "editor" }, "bob": { … } } }
 *
 * A policy rule hands those channels to the check (examples/plugins/channel-policy.yaml):
 *
 *   rules:
 *     - channels: ['private-doc-*', 'presence-doc-*']
 *       allow: { check: document-access }
 *
 * Settings:
 *   DOCUMENT_ACCESS_FILE  the JSON file (examples/plugins/document-access.json). Required; read
 *                         once, at boot: a file that cannot be used stops start-up.
 *
 * Run it (from the repository):
 *
 *   PLUGINS=./examples/plugins/document-access.channel-check.js \
 *     DOCUMENT_ACCESS_FILE=./examples/plugins/document-access.json \
 *     CHANNEL_POLICY_FILE=./examples/plugins/channel-policy.yaml … npm start
 *
 * (channel-policy.yaml also names project-access: list project-access.plugin.js in PLUGINS too,
 * or keep only the first rule.)
 */
const { readFileSync } = require('node:fs');
const { defineChannelCheck, setting, z } = require('pusher-auth/plugin');

const DOCUMENT_CHANNEL = /^(?:private|presence)-doc-(.+)$/;

/**
 * The file, read and checked while the settings are: a problem is listed with every other one
 * in the start-up message, naming the variable.
 */
const viewersFile = setting.required(setting.text()).transform((path, ctx) => {
  let documents;
  try {
    documents = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `cannot be used (${error.code ?? 'not JSON'})`,
    });
    return z.NEVER;
  }
  const viewers = z.record(
    z.string(),
    z.record(z.string(), z.record(z.string(), z.unknown())),
  );
  const parsed = viewers.safeParse(documents);
  if (!parsed.success) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must map each document to its viewers, each with an object of user_info',
    });
    return z.NEVER;
  }
  // Maps, so that a document or user named "__proto__" is a name like any other.
  return new Map(
    Object.entries(parsed.data).map(([document, users]) => [
      document,
      new Map(Object.entries(users)),
    ]),
  );
});

module.exports = defineChannelCheck({
  name: 'document-access',
  description: "a document's viewers, from DOCUMENT_ACCESS_FILE",
  settings: z.object({ DOCUMENT_ACCESS_FILE: viewersFile }),
  // Nothing to build: `check` is handed the settings themselves.
  check: (caller, channel, _captures, settings) => {
    const document = DOCUMENT_CHANNEL.exec(channel)?.[1];
    const userInfo = document
      ? settings.DOCUMENT_ACCESS_FILE.get(document)?.get(caller.id)
      : undefined;
    if (!userInfo) return false;
    // The user_info is used on presence channels only; a private channel just allows.
    return { allow: true, userInfo };
  },
});
