;;; exchange2007-roles-on-cluster-node: only the Mailbox role may run on a failover cluster node.

(deffunction crol-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction crol-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (crol-host ?name))
  (foreach ?x ?names (if (eq (crol-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction crol-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deffunction crol-others ($?roles)
  "The roles other than Mailbox, joined."
  (bind ?out (create$))
  (foreach ?r ?roles (if (neq (lowcase (str-cat ?r)) "mailbox") then (bind ?out (create$ ?out ?r))))
  (crol-join ?out))

(defrule exchange2007-roles-on-cluster-node-flag
  "Get-ExchangeServer says IsMemberOfCluster Yes."
  ?s <- (exchange-server (name ?n) (clustered TRUE) (major ?mj&:(or (not (integerp ?mj)) (< ?mj 14))) (roles $?roles&:(neq (crol-others $?roles) "")))
  =>
  (assert (hakb-finding (id "exchange2007-roles-on-cluster-node") (key (crol-host ?n)) (evidence ?s)
            (vars server ?n roles (crol-others $?roles) cluster "IsMemberOfCluster is Yes"))))

(defrule exchange2007-roles-on-cluster-node-listed
  "A server with other roles that a cluster node listing names."
  ?s <- (exchange-server (name ?n) (major 8) (roles $?roles&:(neq (crol-others $?roles) "")))
  ?c <- (cluster-node (node ?node&:(eq (crol-host ?node) (crol-host ?n))))
  =>
  (assert (hakb-finding (id "exchange2007-roles-on-cluster-node") (key (crol-host ?n)) (evidence ?s ?c)
            (vars server ?n roles (crol-others $?roles) cluster "it is a failover cluster node"))))

(defrule exchange2007-roles-on-cluster-node-redundant
  "A server with other roles that is a node of a CCR or SCC clustered mailbox server."
  ?s <- (exchange-server (name ?n) (major 8) (roles $?roles&:(neq (crol-others $?roles) "")))
  ?m <- (exchange-mailbox-server (kind "CCR"|"SCC") (name ?cms) (redundant_machines $?nodes&:(crol-in ?n $?nodes)))
  =>
  (assert (hakb-finding (id "exchange2007-roles-on-cluster-node") (key (crol-host ?n)) (evidence ?s ?m)
            (vars server ?n roles (crol-others $?roles) cluster (str-cat "it is a node of clustered mailbox server " ?cms)))))
