;;; dag-replication-nic: a DAG replication adapter has no default gateway, no DNS servers and does not
;;; register in DNS. The adapter is known by its name (Replication, DAG...) or by a DAG network that
;;; carries replication only.

(deffunction dgrn-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction dgrn-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (dgrn-host ?name))
  (foreach ?x ?names (if (eq (dgrn-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction dgrn-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(deftemplate dgrn-nic (slot host (type STRING)) (slot adapter (type STRING)) (slot why (type STRING)) (slot fact))

(defrule dag-replication-nic-by-name
  ?i <- (ip-interface (role "replication") (host ?h) (adapter ?a))
  =>
  (assert (dgrn-nic (host ?h) (adapter ?a) (why "its name says it carries replication") (fact ?i))))

(defrule dag-replication-nic-by-dag-network
  ?i <- (ip-interface (role ~"replication") (host ?h) (adapter ?a) (subnets $? ?sn $?))
  (exchange-dag-network (name ?net) (replication TRUE) (mapi_access FALSE) (subnets $? ?sn $?))
  =>
  (assert (dgrn-nic (host ?h) (adapter ?a) (why (str-cat "it is on DAG network " ?net " (replication only)")) (fact ?i))))

(defrule dag-replication-nic-gateway
  (dgrn-nic (host ?h) (adapter ?a) (why ?why) (fact ?i))
  (test (> (length$ (fact-slot-value ?i gateways)) 0))
  =>
  (assert (hakb-finding (id "dag-replication-nic") (key (str-cat ?h "/" ?a)) (evidence ?i)
            (vars server (upcase ?h) adapter ?a why ?why gateway (dgrn-join (fact-slot-value ?i gateways))))))

(defrule dag-replication-nic-dns-servers
  (dgrn-nic (host ?h) (adapter ?a) (why ?why) (fact ?i))
  (test (> (length$ (fact-slot-value ?i dns_servers)) 0))
  =>
  (assert (hakb-finding (id "dag-replication-nic") (key (str-cat ?h "/" ?a)) (evidence ?i)
            (vars server (upcase ?h) adapter ?a why ?why dns (dgrn-join (fact-slot-value ?i dns_servers))))))

(defrule dag-replication-nic-registers
  (dgrn-nic (host ?h) (adapter ?a) (why ?why))
  ?r <- (ip-dns-registration (adapter ?a2&:(eq (lowcase ?a2) (lowcase ?a))) (register TRUE)
                             (host ?h2&:(or (eq ?h2 "") (eq (dgrn-host ?h2) (dgrn-host ?h)))))
  =>
  (assert (hakb-finding (id "dag-replication-nic") (key (str-cat ?h "/" ?a)) (evidence ?r)
            (vars server (upcase ?h) adapter ?a why ?why register "on"))))

(defrule dag-replication-nic-registration-unknown
  (dgrn-nic (host ?h) (adapter ?a))
  (not (ip-dns-registration (adapter ?a2&:(eq (lowcase ?a2) (lowcase ?a)))))
  =>
  (assert (hakb-unverified (rule "dag-replication-nic") (host ?h)
            (check (str-cat "whether adapter " ?a " registers its address in DNS"))
            (collect (str-cat "Get-DnsClient -InterfaceAlias \"" ?a "\" | fl InterfaceAlias,RegisterThisConnectionsAddress")))))
