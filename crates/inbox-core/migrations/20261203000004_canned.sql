-- Canned responses: texts an agent inserts by shortcut (`/greeting`), with placeholders
-- ({{name}}, {{first_name}}, {{agent}}, {{phone}}) filled from the conversation when inserted.
-- A shortcut is unique regardless of case.
CREATE TABLE canned_responses (
    id TEXT PRIMARY KEY NOT NULL,
    shortcut TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX canned_responses_shortcut ON canned_responses (shortcut COLLATE NOCASE);

-- The inbox's own settings, one value per key (`agent_name`: the agent's name for {{agent}}).
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- A few examples, in English and in Brazilian Portuguese. Seeded here, by the migration, so they
-- are inserted exactly once: an agent who deletes one does not see it come back.
INSERT INTO canned_responses (id, shortcut, body, created_at, updated_at) VALUES
    ('seed-greeting-en', 'greeting',
     'Hi {{first_name}}! This is {{agent}}. How can I help you today?',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-order-en', 'order',
     'Thanks, {{first_name}}. Could you send me your order number? I will check its status right away.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-closing-en', 'closing',
     'Is there anything else I can help you with, {{first_name}}? Thank you for getting in touch, have a great day!',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-away-en', 'away',
     'Hi {{first_name}}, thanks for your message. Our team is out of the office right now; we answer Monday to Friday, 9 am to 6 pm, and will get back to you as soon as we are back.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-greeting-pt', 'ola',
     'Olá, {{first_name}}! Aqui é {{agent}}. Como posso ajudar?',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-order-pt', 'pedido',
     'Obrigado, {{first_name}}. Pode me passar o número do seu pedido? Vou verificar o status agora mesmo.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-closing-pt', 'encerramento',
     'Posso ajudar em mais alguma coisa, {{first_name}}? Obrigado pelo contato e tenha um ótimo dia!',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('seed-away-pt', 'ausente',
     'Olá, {{first_name}}, obrigado pela mensagem. No momento estamos fora do horário de atendimento (segunda a sexta, das 9h às 18h); responderemos assim que voltarmos.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
