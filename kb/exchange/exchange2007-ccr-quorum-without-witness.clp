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

;;; Joins go through one fact per two-node CCR server, per quorum and per empty MNSFileShare (built
;;; first), so the same evidence seen k times (k bundles of one incident) costs O(k) firings: the
;;; conclusion is asserted once per CMS and each line that shows it adds itself as evidence.

(deftemplate ccrq-cms "A two-node CCR clustered mailbox server and its nodes." (slot name) (multislot nodes))
(deftemplate ccrq-quorum "A cluster quorum as reported." (slot type) (slot resource) (slot host))
(deftemplate ccrq-empty-share "A Majority Node Set resource whose MNSFileShare is empty." (slot object))
(deftemplate ccrq-without-witness "The finding of this CMS, from a quorum of this type." (slot cms) (slot type))

(defrule exchange2007-ccr-quorum-cms
  (declare (salience 10))
  (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2) (redundant_machines $?nodes))
  =>
  (assert (ccrq-cms (name ?cms) (nodes $?nodes))))

(defrule exchange2007-ccr-quorum-quorum
  (declare (salience 10))
  (cluster-quorum (type ?t) (resource ?r) (host ?h))
  =>
  (assert (ccrq-quorum (type ?t) (resource ?r) (host ?h))))

(defrule exchange2007-ccr-quorum-empty-share
  (declare (salience 10))
  (cluster-parameter (name ?pn&:(eq (lowcase ?pn) "mnsfileshare")) (value "") (object ?res))
  =>
  (assert (ccrq-empty-share (object ?res))))

;;; -- the conclusion, once per CMS --------------------------------------------------------------

(defrule exchange2007-ccr-quorum-mns-empty-share
  "Windows 2003 Majority Node Set whose MNSFileShare is empty: no witness."
  (ccrq-cms (name ?cms) (nodes $?nodes))
  (ccrq-quorum (type "MajorityNodeSet") (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  (ccrq-empty-share (object ?res))
  (not (cluster-node (node ?v&:(not (ccrq-in ?v $?nodes)))))   ; a voter node is the third vote
  =>
  (assert (ccrq-without-witness (cms ?cms) (type "MajorityNodeSet")))
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms)
            (vars cms ?cms nodes (ccrq-join $?nodes) quorum "Majority Node Set" resource ?res
                  setting "MNSFileShare" value "(empty)" os "2003"))))

(defrule exchange2007-ccr-quorum-node-majority
  "Windows 2008 Node Majority: no witness at all."
  (ccrq-cms (name ?cms) (nodes $?nodes))
  (ccrq-quorum (type "NodeMajority") (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  (not (cluster-node (node ?v&:(not (ccrq-in ?v $?nodes)))))
  =>
  (assert (ccrq-without-witness (cms ?cms) (type "NodeMajority")))
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms)
            (vars cms ?cms nodes (ccrq-join $?nodes) quorum "Node Majority" os "2008"))))

(defrule exchange2007-ccr-quorum-shared-disk
  "A disk-based quorum on CCR, which has no shared storage."
  (ccrq-cms (name ?cms) (nodes $?nodes))
  (ccrq-quorum (type ?t&"DiskOnly"|"SharedDisk"|"NodeAndDiskMajority") (resource ?r)
               (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  =>
  (assert (ccrq-without-witness (cms ?cms) (type ?t)))
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms)
            (severity "warning") (vars cms ?cms nodes (ccrq-join $?nodes) quorum ?t resource ?r))))

(defrule exchange2007-ccr-quorum-mns-unknown-share
  (ccrq-cms (name ?cms) (nodes $?nodes))
  (ccrq-quorum (type "MajorityNodeSet") (resource ?r) (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  (not (cluster-parameter (name ?pn&:(eq (lowcase ?pn) "mnsfileshare"))))
  =>
  (assert (hakb-unverified (rule "exchange2007-ccr-quorum-without-witness")
            (check (str-cat "whether the Majority Node Set quorum of " ?cms " has a file share witness (MNSFileShare)"))
            (collect (str-cat "cluster res \"" ?r "\" /priv")))))

;;; -- each piece of evidence, once, to the finding of its CMS -------------------------------------

(defrule exchange2007-ccr-quorum-server-evidence
  "The clustered mailbox server's lines."
  (ccrq-without-witness (cms ?cms))
  ?m <- (exchange-mailbox-server (kind "CCR") (name ?cms) (node_count 2))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?m))))

(defrule exchange2007-ccr-quorum-quorum-evidence
  "The quorum lines of that type on the CMS's nodes."
  (ccrq-without-witness (cms ?cms) (type ?t))
  (ccrq-cms (name ?cms) (nodes $?nodes))
  ?q <- (cluster-quorum (type ?t) (host ?h&:(or (eq ?h "") (ccrq-in ?h $?nodes))))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?q))))

(defrule exchange2007-ccr-quorum-share-evidence
  "The empty MNSFileShare lines."
  (ccrq-without-witness (cms ?cms) (type "MajorityNodeSet"))
  ?p <- (cluster-parameter (name ?pn&:(eq (lowcase ?pn) "mnsfileshare")) (value ""))
  =>
  (assert (hakb-finding (id "exchange2007-ccr-quorum-without-witness") (key ?cms) (evidence ?p))))
