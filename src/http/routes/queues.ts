/**
 * Queue configuration (spec §8.6). Route note kept from the original: `GET|POST /queues/{role}`
 * read and set a *role's* queues, while `PUT|DELETE /queues/{queue_name}` address a *queue*.
 * Every write notifies running workers, which apply it within a second (DESIGN.md §2.5).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ERRORS } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { Message, errorResponses } from '../schemas/common.js';
import {
  QueueConfigBody,
  QueueConfigJson,
  QueueNameList,
  QueueParams,
  QueueUpdateBody,
  RoleQueuesParams,
  toQueueConfig,
} from '../schemas/config.js';
import { toQueueConfigJson } from '../serializers.js';

const QueueNames = z.object({ queues: z.array(z.string()) });
const QueueWriteResponse = z.object({ message: z.string(), queue: QueueConfigJson });
const tags = ['queues'];

export const queueRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { config } = deps.runtime;
  const changed = () => deps.runtime.notifyConfigChanged();

  app.get(
    '/queues',
    { schema: { operationId: 'getAllQueues', summary: 'Queue names, sorted', tags, response: { 200: QueueNames } } },
    async () => ({ queues: await config.listQueues() }),
  );

  app.post(
    '/queues',
    {
      schema: {
        operationId: 'createQueue',
        summary: 'Create a queue',
        tags,
        body: QueueConfigBody,
        response: { 201: QueueWriteResponse, ...errorResponses(400, 409, 422) },
      },
    },
    async (req, reply) => {
      const queue = await config.createQueue(toQueueConfig(req.body.name, req.body));
      await changed();
      return reply.code(201).send({ message: 'Queue created successfully', queue: toQueueConfigJson(queue) });
    },
  );

  app.get(
    '/queues/:queue_name/config',
    {
      schema: {
        operationId: 'getQueueConfig',
        summary: "A queue's limits",
        tags,
        params: QueueParams,
        response: { 200: z.object({ queue: QueueConfigJson }), ...errorResponses(404, 422) },
      },
    },
    async (req) => {
      const queue = await config.getQueue(req.params.queue_name);
      if (!queue) throw ERRORS.queueNotFound.make(`Queue '${req.params.queue_name}' not found.`);
      return { queue: toQueueConfigJson(queue) };
    },
  );

  app.put(
    '/queues/:queue_name',
    {
      schema: {
        operationId: 'updateQueue',
        summary: 'Create or replace a queue (the path names it)',
        tags,
        params: QueueParams,
        body: QueueUpdateBody,
        response: { 200: QueueWriteResponse, ...errorResponses(400, 422) },
      },
    },
    async (req) => {
      const queue = await config.saveQueue(toQueueConfig(req.params.queue_name, req.body));
      await changed();
      return { message: 'Queue updated successfully', queue: toQueueConfigJson(queue) };
    },
  );

  app.delete(
    '/queues/:queue_name',
    {
      schema: {
        operationId: 'deleteQueue',
        summary: 'Delete a queue and its role memberships (its tasks stay in Redis)',
        tags,
        params: QueueParams,
        response: { 200: Message, ...errorResponses(404, 422) },
      },
    },
    async (req) => {
      const name = req.params.queue_name;
      if (!(await config.deleteQueue(name))) throw ERRORS.queueNotFound.make(`Queue '${name}' not found.`);
      await changed();
      return { message: `Queue '${name}' deleted successfully.` };
    },
  );

  app.get(
    '/queues/:role',
    {
      schema: {
        operationId: 'getRoleQueues',
        summary: "A role's queues (empty for an unknown role)",
        tags,
        params: RoleQueuesParams,
        response: { 200: QueueNames, ...errorResponses(422) },
      },
    },
    async (req) => ({ queues: await config.getRoleQueues(req.params.role) }),
  );

  app.post(
    '/queues/:role',
    {
      schema: {
        operationId: 'setRoleQueues',
        summary: "Replace a role's queues (creates the role when needed)",
        tags,
        params: RoleQueuesParams,
        body: QueueNameList,
        response: { 200: Message, ...errorResponses(400, 422) },
      },
    },
    async (req) => {
      await config.saveRole({ name: req.params.role, queues: req.body });
      await changed();
      return { message: 'Queues set successfully' };
    },
  );
};
