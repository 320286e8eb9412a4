;;; exchange2007-ccr-quorum-without-witness: a two-node CCR cluster needs a file share witness.

(deffunction ccrq-host (?name)
  "A server name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(deffunction ccrq-in (?name $?names)
  "TRUE when ?name is one of ?names (by short name)."
  (bind ?h (ccrq-host ?name))
  (foreach ?x ?names (if (eq (ccrq-host ?x) ?h) then (return TRUE)))
  FALSE)

(deffunction ccrq-join ($?items)
  (bind ?out "")
  (foreach ?x ?items (bind ?out (if (eq ?out "") then (str-cat ?x) else (str-cat ?out ", " ?x))))
  ?out)

(defrule exchange2007-ccr-quorum-mns-empty-share
  "Windows 2003 Majority Node Set whose MNSFileShare is empty: no witness."
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  ?q <- (cluster-quorum (type "MajorityNodeSet") (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  ?p <- (cluster-parameter (name ?pn&:(eq (lowcase ?pn) "mnsfileshare")) (value "") (object ?res))
  (not (cluster-node (node ?v&:(not (ccrq-in ?v $?nodes)))))   ; a voter node is the third vote
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?m ?q ?p)
            (vars cms ?cms nodes (ccrq-join $?nodes) quorum "Majority Node Set" resource ?res
                  setting "MNSFileShare" value "(empty)" os "2003"))))

(defrule exchange2007-ccr-quorum-node-majority
  "Windows 2008 Node Majority: no witness at all."
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  ?q <- (cluster-quorum (type "NodeMajority") (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  (not (cluster-node (node ?v&:(not (ccrq-in ?v $?nodes)))))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?m ?q)
            (vars cms ?cms nodes (ccrq-join $?nodes) quorum "Node Majority" os "2008"))))

(defrule exchange2007-ccr-quorum-shared-disk
  "A disk-based quorum on CCR, which has no shared storage."
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  ?q <- (cluster-quorum (type ?t&"DiskOnly"|"SharedDisk"|"NodeAndDiskMajority") (resource ?r)
                        (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?m ?q)
            (severity "warning") (vars cms ?cms nodes (ccrq-join $?nodes) quorum ?t resource ?r))))

(defrule exchange2007-ccr-quorum-mns-unknown-share
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  (cluster-quorum (type "MajorityNodeSet") (resource ?r) (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  (not (cluster-parameter (name ?pn&:(eq (lowcase ?pn) "mnsfileshare"))))
  =>
  (assert (hakb-unverified (rule "exchange2007-ccr-quorum-without-witness")
            (check (str-cat "whether the Majority Node Set quorum of " ?cms " has a file share witness (MNSFileShare)"))
            (collect (str-cat "cluster res \"" ?r "\" /priv")))))
