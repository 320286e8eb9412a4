;;; mailbox-move-profile: after a mailbox moved to a database whose RpcClientAccessServer differs
;;; from the source database's, Outlook 2007/2010 keeps its old server: the old CAS (array)
;;; still finds the mailbox through Active Directory, so Outlook never gets the ecWrongServer
;;; answer that would make it update its profile. Expected behaviour: repair the profile.

(deffunction mailbox-move-db (?name)
  "A database name without a server prefix, lower case: MBX01\\DB01 -> db01."
  (bind ?n (lowcase ?name))
  (bind ?slash (str-index "\\" ?n))
  (while ?slash
    (bind ?n (sub-string (+ ?slash 1) (str-length ?n) ?n))
    (bind ?slash (str-index "\\" ?n)))
  ?n)

(deffunction mailbox-move-short (?name)
  (bind ?name (lowcase ?name))
  (bind ?dot (str-index "." ?name))
  (if ?dot then (sub-string 1 (- ?dot 1) ?name) else ?name))

(deffunction mailbox-move-same-server (?a ?b)
  (or (eq (lowcase ?a) (lowcase ?b))
      (and (or (not (str-index "." ?a)) (not (str-index "." ?b)))
           (eq (mailbox-move-short ?a) (mailbox-move-short ?b)))))

(deffunction mailbox-move-profile-text (?subkey ?name ?decoded ?type ?value)
  "The server a MAPI profile value names (home server 001e6602/001f6602), or \"\"."
  (if (or (not (str-index "windows messaging subsystem\\profiles" (lowcase ?subkey)))
          (not (member$ (lowcase ?name) (create$ "001e6602" "001f6602"))))
      then (return ""))
  (if (neq ?decoded "") then (return ?decoded))
  (if (eq ?type "REG_SZ") then (return ?value))
  "")

(deffunction mailbox-move-profile-names (?server ?subkey ?name ?decoded ?type ?value)
  (bind ?text (mailbox-move-profile-text ?subkey ?name ?decoded ?type ?value))
  (and (neq ?text "") (mailbox-move-same-server ?text ?server)))

;;; Joins go through one fact per move and per database's server (built first), so the same
;;; evidence seen k times (k bundles of one incident) costs O(k) firings: the conclusion is
;;; asserted once per mailbox and each move, database and profile line adds itself as evidence.

(deftemplate mailbox-move-rpc "A database (name without server prefix) and its RpcClientAccessServer."
  (slot db (type STRING)) (slot server (type STRING)))
(deftemplate mailbox-move-done "A completed move of a mailbox between two databases."
  (slot mailbox (type STRING)) (slot source (type STRING)) (slot target (type STRING))
  (slot source_db (type STRING)) (slot target_db (type STRING)) (slot completed (type STRING)))
(deftemplate mailbox-move-profile-server "A server an Outlook profile value names."
  (slot server (type STRING)))
(deftemplate mailbox-move-cross "A completed move across RPC Client Access servers."
  (slot mailbox (type STRING)) (slot source (type STRING)) (slot target (type STRING))
  (slot source_db (type STRING)) (slot target_db (type STRING)) (slot completed (type STRING))
  (slot old (type STRING)) (slot new (type STRING)))

;;; -- one fact per database server, move and profile server ------------------------------------

(defrule mailbox-move-profile-rpc
  (declare (salience 10))
  (mailbox-database (name ?sn) (rpc_client_access_server ?server&~""))
  =>
  (assert (mailbox-move-rpc (db (mailbox-move-db ?sn)) (server ?server))))

(defrule mailbox-move-profile-done
  (declare (salience 10))
  (mailbox-move (mailbox ?who) (status ?st&:(str-index "completed" (lowcase ?st)))
                (source_database ?sd) (target_database ?td) (completed_iso ?when))
  =>
  (assert (mailbox-move-done (mailbox ?who) (source ?sd) (target ?td) (source_db (mailbox-move-db ?sd))
                             (target_db (mailbox-move-db ?td)) (completed ?when))))

(defrule mailbox-move-profile-names-server
  (declare (salience 10))
  (registry-value (subkey ?k) (name ?n) (decoded ?d) (reg_type ?rt)
                  (value ?v&:(neq (mailbox-move-profile-text ?k ?n ?d ?rt ?v) "")))
  =>
  (assert (mailbox-move-profile-server (server (mailbox-move-profile-text ?k ?n ?d ?rt ?v)))))

;;; -- the conclusion, once per move and pair of servers -----------------------------------------

(defrule mailbox-move-profile-cross
  (declare (salience 10))
  (mailbox-move-done (mailbox ?who) (source ?sd) (target ?td) (source_db ?sdb) (target_db ?tdb)
                     (completed ?when))
  (mailbox-move-rpc (db ?sdb) (server ?old))
  (mailbox-move-rpc (db ?tdb) (server ?new))
  (test (not (mailbox-move-same-server ?old ?new)))
  =>
  (assert (mailbox-move-cross (mailbox ?who) (source ?sd) (target ?td) (source_db ?sdb) (target_db ?tdb)
                              (completed ?when) (old ?old) (new ?new))))

(defrule mailbox-move-profile-cross-server
  "A completed move between databases with different RpcClientAccessServer values."
  (mailbox-move-cross (mailbox ?who) (source ?sd) (target ?td) (completed ?when) (old ?old) (new ?new))
  (not (mailbox-move-profile-server (server ?p&:(mailbox-move-same-server ?p ?new))))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (confidence 0.6)
            (vars mailbox ?who source_database ?sd target_database ?td old_server ?old
                  new_server ?new completed ?when))))

(defrule mailbox-move-profile-seen
  "The collected Outlook profile still names the source database's RPC Client Access server."
  (mailbox-move-cross (mailbox ?who) (old ?old))
  (exists (hakb-finding (id "mailbox-move-profile") (key ?who)))
  (mailbox-move-profile-server (server ?p&:(mailbox-move-same-server ?p ?old)))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (confidence 0.95)
            (vars profile_server ?p))))

;;; -- each piece of evidence, once, to the finding of its mailbox --------------------------------

(defrule mailbox-move-profile-move-evidence
  "The move statistics line of the cross-server move."
  (mailbox-move-cross (mailbox ?who) (source ?sd) (target ?td) (completed ?when))
  (exists (hakb-finding (id "mailbox-move-profile") (key ?who)))
  ?m <- (mailbox-move (mailbox ?who) (status ?st&:(str-index "completed" (lowcase ?st)))
                      (source_database ?sd) (target_database ?td) (completed_iso ?when))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (evidence ?m))))

(defrule mailbox-move-profile-database-evidence
  "The source and target databases' lines naming their RPC Client Access servers."
  (mailbox-move-cross (mailbox ?who) (source_db ?sdb) (target_db ?tdb) (old ?old) (new ?new))
  (exists (hakb-finding (id "mailbox-move-profile") (key ?who)))
  ?s <- (mailbox-database (name ?sn) (rpc_client_access_server ?rpc&?old|?new))
  (test (or (and (eq ?rpc ?old) (eq (mailbox-move-db ?sn) ?sdb))
            (and (eq ?rpc ?new) (eq (mailbox-move-db ?sn) ?tdb))))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (evidence ?s))))

(defrule mailbox-move-profile-profile-evidence
  "The profile values still naming the source database's server."
  (mailbox-move-cross (mailbox ?who) (old ?old))
  (exists (hakb-finding (id "mailbox-move-profile") (key ?who)))
  ?p <- (registry-value (subkey ?k) (name ?n) (decoded ?d) (reg_type ?rt)
                        (value ?v&:(mailbox-move-profile-names ?old ?k ?n ?d ?rt ?v)))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (evidence ?p))))
