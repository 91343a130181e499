/** Roles (spec §8.7): named sets of queues a worker serves. 409 whenever the role exists (spec B27). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ERRORS } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { Message, errorResponses } from '../schemas/common.js';
import { QueueNameList, RoleBody, RoleJson, RoleParams } from '../schemas/config.js';

const RoleWriteResponse = RoleJson.extend({ message: z.string() });
const tags = ['roles'];

export const roleRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { config } = deps.runtime;
  const changed = () => deps.runtime.notifyConfigChanged();
  const notFound = (name: string) => ERRORS.roleNotFound.make(`Role '${name}' not found.`);

  app.get(
    '/roles',
    {
      schema: {
        operationId: 'getRoles',
        summary: 'Role names, sorted',
        tags,
        response: { 200: z.object({ roles: z.array(z.string()) }) },
      },
    },
    async () => ({ roles: await config.listRoles() }),
  );

  app.post(
    '/roles',
    {
      schema: {
        operationId: 'createRole',
        summary: 'Create a role',
        tags,
        body: RoleBody,
        response: { 201: RoleWriteResponse, ...errorResponses(400, 409, 422) },
      },
    },
    async (req, reply) => {
      const role = await config.createRole({ name: req.body.name, queues: req.body.queues });
      await changed();
      return reply.code(201).send({ message: 'Role created successfully', role: role.name, queues: role.queues });
    },
  );

  app.get(
    '/roles/:role_name',
    {
      schema: {
        operationId: 'getRole',
        summary: 'A role and its queues',
        tags,
        params: RoleParams,
        response: { 200: RoleJson, ...errorResponses(404, 422) },
      },
    },
    async (req) => {
      const role = await config.getRole(req.params.role_name);
      if (!role) throw notFound(req.params.role_name);
      return { role: role.name, queues: role.queues };
    },
  );

  app.put(
    '/roles/:role_name',
    {
      schema: {
        operationId: 'updateRole',
        summary: "Replace an existing role's queues",
        tags,
        params: RoleParams,
        body: QueueNameList,
        response: { 200: RoleWriteResponse, ...errorResponses(400, 404, 422) },
      },
    },
    async (req) => {
      const name = req.params.role_name;
      if (!(await config.getRole(name))) throw notFound(name);
      const role = await config.saveRole({ name, queues: req.body });
      await changed();
      return { message: 'Role updated successfully', role: role.name, queues: role.queues };
    },
  );

  app.delete(
    '/roles/:role_name',
    {
      schema: {
        operationId: 'deleteRole',
        summary: 'Delete a role (its queues are kept)',
        tags,
        params: RoleParams,
        response: { 200: Message, ...errorResponses(404, 422) },
      },
    },
    async (req) => {
      const name = req.params.role_name;
      if (!(await config.deleteRole(name))) throw notFound(name);
      await changed();
      return { message: `Role '${name}' deleted successfully.` };
    },
  );
};
