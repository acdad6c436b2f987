import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../services.js';
import { AttachmentStore, TicketAttachments } from './mail/attachments.js';
import { MailIntake } from './mail/mail-intake.js';
import { ReplyTokens } from './mail/threading.js';
import type { SmtpListener } from './mail/smtp-listener.js';
import { OutboxDelivery } from './twelve345/delivery.js';
import { OrderIntake } from './twelve345/orders.js';
import { Outbox12345 } from './twelve345/outbox.js';

/** Intake besides calls (DESIGN §4): e-mail, 12345's transferred orders, and updates back to 12345. */
export interface Intake {
  mail: MailIntake;
  /** the running SMTP listener (its `port` is the bound one); null when SMTP is disabled */
  smtp: SmtpListener | null;
  orders: OrderIntake;
  outbox: Outbox12345;
  delivery: OutboxDelivery;
  /** a ticket's attachments, listed and served (mail/attachment-routes.ts) */
  attachments: TicketAttachments;
}

/** Built by createServices(); the plugin below only starts its listener, routes and loop. */
export function createIntake(services: Pick<Services, 'config' | 'db' | 'tickets' | 'now' | 'registry'>, log: FastifyBaseLogger): Intake {
  const { config, db, tickets, now, registry } = services;
  const outbox = new Outbox12345(db, now, (kind, id) => registry.unitName(kind, id) ?? id);
  return {
    mail: new MailIntake(db, tickets, new AttachmentStore(config.filesDir), now, new ReplyTokens(config.jwtSecret)),
    smtp: null,
    orders: new OrderIntake(tickets, now),
    outbox,
    delivery: new OutboxDelivery(outbox, { ...config.outbox12345, ...config.integration12345 }, log, now),
    attachments: new TicketAttachments(db, config.filesDir),
  };
}
