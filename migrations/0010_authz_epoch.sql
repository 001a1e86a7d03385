-- 0010_authz_epoch.sql — a counter that moves whenever anything a permission decision reads
-- changes, so a server may keep a caller's facts between requests and still see a revoke on
-- the caller's next request.
--
-- The hot reads (get_table, get_database) return the counter in the same statement, hence the
-- same snapshot, as the object; cached facts are used only when they were computed at that
-- same value. The counter is bumped by deferred constraint triggers, i.e. at commit, once per
-- transaction (a transaction-local flag), so its row lock is held only while committing and
-- never taken before other locks (no deadlock with the locks the transaction took earlier).
-- Forward-only: never edit this file once applied.

CREATE TABLE authz_epoch (
	id integer PRIMARY KEY CHECK (id = 1),
	n  bigint NOT NULL
);
INSERT INTO authz_epoch (id, n) VALUES (1, 1);

CREATE FUNCTION propolis_authz_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('propolis.authz_bumped', true) IS DISTINCT FROM 'y' THEN
		PERFORM set_config('propolis.authz_bumped', 'y', true);
		UPDATE authz_epoch SET n = n + 1 WHERE id = 1;
	END IF;
	RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER lf_grants_epoch AFTER INSERT OR UPDATE OR DELETE ON lf_grants
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION propolis_authz_bump();
CREATE CONSTRAINT TRIGGER principals_epoch AFTER INSERT OR UPDATE OR DELETE ON principals
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION propolis_authz_bump();
CREATE CONSTRAINT TRIGGER principal_groups_epoch AFTER INSERT OR UPDATE OR DELETE ON principal_groups
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION propolis_authz_bump();
CREATE CONSTRAINT TRIGGER lf_settings_epoch AFTER INSERT OR UPDATE OR DELETE ON lf_settings
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION propolis_authz_bump();
CREATE CONSTRAINT TRIGGER lf_locations_epoch AFTER INSERT OR UPDATE OR DELETE ON lf_locations
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION propolis_authz_bump();

-- A table moved to another database takes its grants' database_id along (the evaluator finds
-- a database's table grants by it).
CREATE FUNCTION propolis_table_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE lf_grants SET database_id = NEW.database_id WHERE table_id = NEW.id;
	RETURN NULL;
END $$;

CREATE TRIGGER tables_moved AFTER UPDATE OF database_id ON tables FOR EACH ROW
	WHEN (OLD.database_id IS DISTINCT FROM NEW.database_id) EXECUTE FUNCTION propolis_table_moved();
