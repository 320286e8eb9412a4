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

(defrule mailbox-move-profile-cross-server
  "A completed move between databases with different RpcClientAccessServer values."
  ?m <- (mailbox-move (mailbox ?who) (status ?st&:(str-index "completed" (lowcase ?st)))
                      (source_database ?sd) (target_database ?td) (completed_iso ?when))
  ?s <- (mailbox-database (name ?sn&:(eq (mailbox-move-db ?sn) (mailbox-move-db ?sd)))
                          (rpc_client_access_server ?old&~""))
  ?t <- (mailbox-database (name ?tn&:(eq (mailbox-move-db ?tn) (mailbox-move-db ?td)))
                          (rpc_client_access_server ?new&~""))
  (test (not (mailbox-move-same-server ?old ?new)))
  (not (registry-value (subkey ?k) (name ?n) (decoded ?d) (reg_type ?rt)
                       (value ?v&:(mailbox-move-profile-names ?new ?k ?n ?d ?rt ?v))))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (evidence ?m ?s ?t) (confidence 0.6)
            (vars mailbox ?who source_database ?sd target_database ?td old_server ?old
                  new_server ?new completed ?when))))

(defrule mailbox-move-profile-seen
  "The collected Outlook profile still names the source database's RPC Client Access server."
  (hakb-finding (id "mailbox-move-profile") (key ?who))
  (mailbox-move (mailbox ?who) (source_database ?sd))
  (mailbox-database (name ?sn&:(eq (mailbox-move-db ?sn) (mailbox-move-db ?sd)))
                    (rpc_client_access_server ?old&~""))
  ?p <- (registry-value (subkey ?k) (name ?n) (decoded ?d) (reg_type ?rt)
                        (value ?v&:(mailbox-move-profile-names ?old ?k ?n ?d ?rt ?v)))
  =>
  (assert (hakb-finding (id "mailbox-move-profile") (key ?who) (evidence ?p) (confidence 0.95)
            (vars profile_server (mailbox-move-profile-text ?k ?n ?d ?rt ?v)))))
