-- A database of Chatterfy.Postbacks.Sqlite at schema version 2, written by the code of commit 62809e0 (the last commit
-- before the Storage v2 schema change) through its real SqlitePostbackStore, by Generator/Program.cs, and dumped with
-- `sqlite3 v2.db .dump` (SQLite 3.40.1). V2Database.cs describes what it holds; README.md says how to make it again.
-- `.dump` leaves out PRAGMA user_version: the line before COMMIT puts it back.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE postback_sets (
    id                         TEXT    NOT NULL PRIMARY KEY,
    name                       TEXT    NOT NULL,
    network_id                 TEXT    NOT NULL,
    campaign_id                TEXT,
    token                      TEXT    NOT NULL,
    settings                   TEXT,
    created_at                 INTEGER NOT NULL,
    enabled                    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    previous_token             TEXT,
    previous_token_valid_until INTEGER,
    deleted                    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;
INSERT INTO postback_sets VALUES('0193a0c1b2c37d4e8f9a0b1c2d3e4f01','Binomo main','binomo','camp-spring','tokA2-Hn4cVk7JsD1fG6eR','{"clickIdParameter":"click_id","defaultCurrency":"USD","events":{"reg":"registration","ftd":"first-deposit"}}',17949960001234567,1,'tokA1-Zx9vQm3LpW8rT2yB',17977608001234567,0);
INSERT INTO postback_sets VALUES('0193a0c1b2c37d4e8f9a0b1c2d3e4f02','1Win backup','1win',NULL,'tokB3-Pl0oKi9JuY8hTg7R',NULL,17949960601234567,0,'tokB2-Gb6yHn7UjM8iKo9L',17951724001234567,0);
INSERT INTO postback_sets VALUES('0193a0c1b2c37d4e8f9a0b1c2d3e4f03','Custom (gone)','custom','camp-autumn','tokC1-Fr5dEs4WaQ3zXc2V','{"clickIdParameter":"sub1"}',17949961201234567,1,NULL,NULL,1);
CREATE TABLE postback_set_tokens (
    token  TEXT NOT NULL PRIMARY KEY,
    set_id TEXT NOT NULL REFERENCES postback_sets (id)
) STRICT, WITHOUT ROWID;
INSERT INTO postback_set_tokens VALUES('tokA1-Zx9vQm3LpW8rT2yB','0193a0c1b2c37d4e8f9a0b1c2d3e4f01');
INSERT INTO postback_set_tokens VALUES('tokA2-Hn4cVk7JsD1fG6eR','0193a0c1b2c37d4e8f9a0b1c2d3e4f01');
INSERT INTO postback_set_tokens VALUES('tokB1-Qa2wSx3EdC4rFv5T','0193a0c1b2c37d4e8f9a0b1c2d3e4f02');
INSERT INTO postback_set_tokens VALUES('tokB2-Gb6yHn7UjM8iKo9L','0193a0c1b2c37d4e8f9a0b1c2d3e4f02');
INSERT INTO postback_set_tokens VALUES('tokB3-Pl0oKi9JuY8hTg7R','0193a0c1b2c37d4e8f9a0b1c2d3e4f02');
INSERT INTO postback_set_tokens VALUES('tokC1-Fr5dEs4WaQ3zXc2V','0193a0c1b2c37d4e8f9a0b1c2d3e4f03');
CREATE TABLE clicks (
    id               TEXT    NOT NULL PRIMARY KEY,
    campaign_id      TEXT,
    subject_id       TEXT,
    fbclid           TEXT,
    fbc              TEXT,
    fbp              TEXT,
    ip_address       TEXT,
    user_agent       TEXT,
    event_source_url TEXT,
    created_at       INTEGER NOT NULL,
    fields           TEXT    NOT NULL
) STRICT;
INSERT INTO clicks VALUES('cA1b2C3d4E5f','camp-spring','chat-1001','IwAR0abcdefghijklmnop','fb.1.1554763741205.IwAR0abcdefghijklmnop','fb.1.1558571054389.1098115397','203.0.113.7','Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)','https://example.com/landing?utm_source=fb',17951688001234567,'{"ad_name":"spring-1","utm_source":"facebook"}');
INSERT INTO clicks VALUES('cB2c3D4e5F6g',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,17951694001234567,'{}');
INSERT INTO clicks VALUES('cD4e5F6g7H8i','camp-autumn','chat-1004',NULL,NULL,'fb.1.1558571054389.2098115397',NULL,NULL,NULL,17951700001234567,'{"utm_source":"google"}');
INSERT INTO clicks VALUES('cC3d4E5f6G7h','camp-spring','chat-1003',NULL,NULL,NULL,'192.0.2.44','Mozilla/5.0 (Linux; Android 14)',NULL,17951832001234567,'{"utm_source":"tiktok","city":"S\u00E3o Paulo"}');
CREATE TABLE conversions (
    id                 TEXT    NOT NULL PRIMARY KEY,
    set_id             TEXT    NOT NULL,
    event              TEXT    NOT NULL,
    click_id           TEXT    NOT NULL,
    amount             TEXT,
    currency           TEXT,
    transaction_id     TEXT,
    attributes         TEXT    NOT NULL,
    received_at        INTEGER NOT NULL,
    remote_address     TEXT,
    idempotency_key    TEXT    NOT NULL,
    idempotency_window INTEGER,
    attribution        TEXT    NOT NULL CHECK (attribution IN ('credited', 'unattributed')),
    campaign_id        TEXT
) STRICT;
INSERT INTO conversions VALUES('0193a0c2000070008000000000000002','0193a0c1b2c37d4e8f9a0b1c2d3e4f01','registration','cA1b2C3d4E5f',NULL,NULL,NULL,'{}',17951706001234567,NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01:registration:cA1b2C3d4E5f',NULL,'credited','camp-spring');
INSERT INTO conversions VALUES('0193a0c2000070008000000000000001','0193a0c1b2c37d4e8f9a0b1c2d3e4f01','first-deposit','cA1b2C3d4E5f','100.50','USD','TX-1001','{"user_id":"987654","country":"BR"}',17951724001234567,'198.51.100.23','0193a0c1b2c37d4e8f9a0b1c2d3e4f01:first-deposit:cA1b2C3d4E5f',NULL,'credited','camp-spring');
INSERT INTO conversions VALUES('0193a0c2000070008000000000000003','0193a0c1b2c37d4e8f9a0b1c2d3e4f01','deposit','cA1b2C3d4E5f','25.00','EUR',NULL,'{}',17951760001234567,'198.51.100.23','0193a0c1b2c37d4e8f9a0b1c2d3e4f01:deposit:cA1b2C3d4E5f:h:Jq3Vb8mZr2LxT0uWc9Kd1eNf',864000000000,'credited','camp-spring');
INSERT INTO conversions VALUES('0193a0c2000070008000000000000004','0193a0c1b2c37d4e8f9a0b1c2d3e4f02','emailconf','cUnknown0001',NULL,NULL,'E-77','{"city":"S\u00E3o Paulo","empty":""}',17951778001234567,'2001:db8::1','0193a0c1b2c37d4e8f9a0b1c2d3e4f02:emailconf:cUnknown0001:t:E-77',NULL,'unattributed',NULL);
INSERT INTO conversions VALUES('0193a0c2000070008000000000000005','0193a0c1b2c37d4e8f9a0b1c2d3e4f01','first-deposit','cC3d4E5f6G7h','0.00000001','USD','TX-3003','{}',17951796001234567,NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01:first-deposit:cC3d4E5f6G7h',NULL,'credited','camp-spring');
INSERT INTO conversions VALUES('0193a0c2000070008000000000000006','0193a0c1b2c37d4e8f9a0b1c2d3e4f02','deposit','cB2c3D4e5F6g','999999999999.99999999','USD','T-9','{}',17951802001234567,NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f02:deposit:cB2c3D4e5F6g:t:T-9',NULL,'credited',NULL);
INSERT INTO conversions VALUES('0193a0c2000070008000000000000007','0193a0c1b2c37d4e8f9a0b1c2d3e4f03','registration','cD4e5F6g7H8i',NULL,NULL,NULL,'{}',17951808001234567,NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f03:registration:cD4e5F6g7H8i',NULL,'credited','camp-autumn');
INSERT INTO conversions VALUES('0193a0c2000070008000000000000008','0193a0c1b2c37d4e8f9a0b1c2d3e4f01','deposit','cLate0000002','-5.5','USD',NULL,'{"note":"refund \u0022partial\u0022"}',17951814001234567,NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01:deposit:cLate0000002:h:Pq7Ws2Er5Ty8Ui1Op4As6Df',36000000000,'unattributed','camp-spring');
CREATE TABLE postback_log (
    id             TEXT    NOT NULL PRIMARY KEY,
    received_at    INTEGER NOT NULL,
    set_id         TEXT    NOT NULL,
    outcome        TEXT    NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected')),
    code           TEXT,
    warnings       TEXT    NOT NULL,
    conversion_id  TEXT,
    method         TEXT    NOT NULL,
    path           TEXT    NOT NULL,
    event_segment  TEXT,
    query_string   TEXT    NOT NULL,
    body           TEXT,
    content_type   TEXT,
    remote_address TEXT
) STRICT;
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000002',17951706001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','accepted',NULL,'[]','0193a0c2000070008000000000000002','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB',NULL,'?event=reg&click_id=cA1b2C3d4E5f',NULL,NULL,NULL);
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000001',17951724001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','accepted',NULL,'[]','0193a0c2000070008000000000000001','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB/first-deposit','first-deposit','?click_id=cA1b2C3d4E5f&amount=100.50&currency=USD&tx=TX-1001&user_id=987654&country=BR',NULL,NULL,'198.51.100.23');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000003',17951760001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','accepted',NULL,'["amount_decimal_comma","macro_not_substituted"]','0193a0c2000070008000000000000003','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB/deposit','deposit','?click_id=cA1b2C3d4E5f&amount=25,00&currency=eur&sub2={sub2}',NULL,NULL,'198.51.100.23');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000004',17951778001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f02','unattributed',NULL,'[]','0193a0c2000070008000000000000004','POST','/api/postbacks/tokB1-Qa2wSx3EdC4rFv5T/EmailConf','EmailConf','','{"click_id":"cUnknown0001","transaction_id":"E-77","fields":{"city":"São Paulo","empty":""}}','application/json; charset=utf-8','2001:db8::1');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000005',17951796001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','unattributed',NULL,'[]','0193a0c2000070008000000000000005','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB/first-deposit','first-deposit','?click_id=cC3d4E5f6G7h&amount=0.00000001&tx=TX-3003',NULL,NULL,NULL);
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000010',17951796001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','duplicate',NULL,'[]','0193a0c2000070008000000000000003','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB/deposit','deposit','?click_id=cA1b2C3d4E5f&amount=25,00&currency=eur',NULL,NULL,'198.51.100.23');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000006',17951802001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f02','accepted',NULL,'[]','0193a0c2000070008000000000000006','GET','/api/postbacks/tokB2-Gb6yHn7UjM8iKo9L/deposit','deposit','?click_id=cB2c3D4e5F6g&amount=999999999999.99999999&tx=T-9',NULL,NULL,NULL);
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000007',17951808001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f03','accepted',NULL,'[]','0193a0c2000070008000000000000007','GET','/api/postbacks/tokC1-Fr5dEs4WaQ3zXc2V/registration','registration','?sub1=cD4e5F6g7H8i',NULL,NULL,NULL);
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000008',17951814001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','unattributed',NULL,'[]','0193a0c2000070008000000000000008','GET','/api/postbacks/tokA1-Zx9vQm3LpW8rT2yB/deposit','deposit','?click_id=cLate0000002&amount=-5.5',NULL,NULL,NULL);
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000009',17951868001234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','duplicate',NULL,'[]','0193a0c2000070008000000000000001','GET','/api/postbacks/tokA2-Hn4cVk7JsD1fG6eR/first-deposit','first-deposit','?click_id=cA1b2C3d4E5f&amount=100.50&currency=USD&tx=TX-1001&user_id=987654&country=BR',NULL,NULL,'198.51.100.23');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000011',17951868601234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01','rejected','click_id_missing','["macro_not_substituted"]',NULL,'GET','/api/postbacks/tokA2-Hn4cVk7JsD1fG6eR/first-deposit','first-deposit','?click_id=%7Bsub1%7D&amount=12,50',NULL,NULL,'198.51.100.23');
INSERT INTO postback_log VALUES('0193a0c3000070008000000000000012',17951869201234567,'0193a0c1b2c37d4e8f9a0b1c2d3e4f03','rejected','amount_invalid','[]',NULL,'POST','/api/postbacks/tokC1-Fr5dEs4WaQ3zXc2V/deposit','deposit','?sub1=cD4e5F6g7H8i','amount=abc','application/x-www-form-urlencoded',NULL);
CREATE TABLE forwarding_rules (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT,
    set_id         TEXT,
    campaign_id    TEXT,
    destination_id TEXT    NOT NULL,
    settings       TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
INSERT INTO forwarding_rules VALUES('rule-facebook','Facebook main',NULL,'camp-spring','facebook','{"pixelId":"1234567890","accessToken":"protected:CfDJ8AbCdEf0123456789","testEventCode":null}',17950824001234567);
INSERT INTO forwarding_rules VALUES('rule-s2s',NULL,'0193a0c1b2c37d4e8f9a0b1c2d3e4f01',NULL,'http-postback','{"url":"https://tracker.example/postback?cid={click_id}&sum={amount}","method":"GET"}',17950824601234567);
CREATE TABLE campaigns (
    id                   TEXT    NOT NULL PRIMARY KEY,
    name                 TEXT,
    destination_template TEXT    NOT NULL,
    created_at           INTEGER NOT NULL
) STRICT;
INSERT INTO campaigns VALUES('camp-spring','Spring promo','https://t.me/spring_bot?start={click_id}',17949096001234567);
INSERT INTO campaigns VALUES('camp-autumn',NULL,'https://t.me/autumn_bot?start={click_id}&src={fields.utm_source}',17949099001234567);
CREATE TABLE outbox_messages (
    id               TEXT    NOT NULL PRIMARY KEY,
    conversion_id    TEXT    NOT NULL,
    rule_id          TEXT    NOT NULL,
    destination_id   TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead-lettered')),
    next_attempt_at  INTEGER NOT NULL,
    retry_from       INTEGER NOT NULL,
    attempt_count    INTEGER NOT NULL,
    last_error_code  TEXT,
    last_error       TEXT,
    completed_at     INTEGER,
    lease_id         TEXT,
    lease_expires_at INTEGER
) STRICT;
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000005','0193a0c2000070008000000000000002','rule-deleted','facebook',17951706001234567,'pending',18297288001234567,17951706001234567,0,NULL,NULL,NULL,NULL,NULL);
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000001','0193a0c2000070008000000000000001','rule-facebook','facebook',17951724001234567,'delivered',17951724001234567,17951724001234567,1,NULL,NULL,17951724021234567,NULL,NULL);
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000004','0193a0c2000070008000000000000001','rule-s2s','http-postback',17951724001234567,'pending',17951724011234567,17951724001234567,0,NULL,NULL,NULL,'lease-live',21105324601234567);
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000002','0193a0c2000070008000000000000003','rule-facebook','facebook',17951760001234567,'dead-lettered',17951760601234567,17951760001234567,2,'destination_rejected','Invalid parameter',17951760611234567,NULL,NULL);
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000003','0193a0c2000070008000000000000003','rule-s2s','http-postback',17951760001234567,'pending',17977608001234567,17951760001234567,1,'timeout','The request timed out after 00:00:10',NULL,NULL,NULL);
INSERT INTO outbox_messages VALUES('0193a0c4000070008000000000000006','0193a0c2000070008000000000000006','rule-facebook','facebook',17951802001234567,'pending',17951904001234567,17951904001234567,1,'destination_settings_invalid','The pixel id is not a number',NULL,NULL,NULL);
CREATE TABLE outbox_attempts (
    message_id        TEXT    NOT NULL REFERENCES outbox_messages (id),
    number            INTEGER NOT NULL,
    started_at        INTEGER NOT NULL,
    duration          INTEGER NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('delivered', 'retry', 'dead-letter')),
    http_status_code  INTEGER,
    error_code        TEXT,
    reason            TEXT,
    response_excerpt  TEXT,
    destination_error TEXT,
    PRIMARY KEY (message_id, number)
) STRICT, WITHOUT ROWID;
INSERT INTO outbox_attempts VALUES('0193a0c4000070008000000000000001',1,17951724011234567,1204321,'delivered',200,NULL,NULL,'{"events_received":1,"fbtrace_id":"AbCdEf123"}',NULL);
INSERT INTO outbox_attempts VALUES('0193a0c4000070008000000000000002',1,17951760011234567,3500000,'retry',503,'http_503','Service Unavailable','upstream busy',NULL);
INSERT INTO outbox_attempts VALUES('0193a0c4000070008000000000000002',2,17951760601234567,4100000,'dead-letter',400,'destination_rejected','Invalid parameter','{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804003,"fbtrace_id":"AbCdEf"}}','{"code":"100","subcode":"2804003","type":"OAuthException","message":"Invalid parameter","traceId":"AbCdEf","isTransient":false}');
INSERT INTO outbox_attempts VALUES('0193a0c4000070008000000000000003',1,17951760021234567,100000000,'retry',NULL,'timeout','The request timed out after 00:00:10',NULL,'{"isTransient":true}');
INSERT INTO outbox_attempts VALUES('0193a0c4000070008000000000000006',1,17951802601234567,0,'dead-letter',NULL,'destination_settings_invalid','The pixel id is not a number',NULL,NULL);
CREATE INDEX ix_postback_sets_created_at ON postback_sets (created_at, id) WHERE deleted = 0;
CREATE INDEX ix_postback_set_tokens_set_id ON postback_set_tokens (set_id);
CREATE INDEX ix_clicks_created_at ON clicks (created_at);
CREATE INDEX ix_clicks_campaign_id_created_at ON clicks (campaign_id, created_at);
CREATE INDEX ix_conversions_idempotency_key ON conversions (idempotency_key, received_at, id);
CREATE INDEX ix_conversions_click_id ON conversions (click_id, received_at, id);
CREATE INDEX ix_conversions_received_at ON conversions (received_at);
CREATE INDEX ix_conversions_set_id_received_at ON conversions (set_id, received_at);
CREATE INDEX ix_conversions_campaign_id_received_at ON conversions (campaign_id, received_at);
CREATE INDEX ix_postback_log_order ON postback_log (received_at DESC, id DESC);
CREATE INDEX ix_postback_log_set_id_order ON postback_log (set_id, received_at DESC, id DESC);
CREATE INDEX ix_postback_log_outcome_order ON postback_log (outcome, received_at DESC, id DESC);
CREATE INDEX ix_forwarding_rules_created_at ON forwarding_rules (created_at, id);
CREATE INDEX ix_outbox_messages_due ON outbox_messages (status, next_attempt_at, id);
CREATE INDEX ix_outbox_messages_order ON outbox_messages (created_at DESC, id DESC);
CREATE INDEX ix_outbox_messages_conversion_id_order ON outbox_messages (conversion_id, created_at DESC, id DESC);
CREATE INDEX ix_outbox_messages_rule_id_order ON outbox_messages (rule_id, created_at DESC, id DESC);
PRAGMA user_version = 2;
COMMIT;
