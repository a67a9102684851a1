-- The platform's login role, as provisionAppDatabase creates it for embedded PostgreSQL: NOINHERIT, so
-- it reaches a commune's tables only after SET ROLE to that commune's role; CREATEROLE, to create the
-- role of each commune it onboards; owner of its database, to create their schemas. The server's
-- superuser stays for administration only.
CREATE ROLE gemeng LOGIN NOINHERIT CREATEROLE PASSWORD 'gemeng';
CREATE DATABASE gemeng OWNER gemeng;
