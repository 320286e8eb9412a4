;;; windows-nlb-on-failover-cluster: Network Load Balancing and failover clustering on one server.
;;; Signs of NLB (its control utility, its events, the installed feature, Get-NlbClusterNode) and
;;; signs of cluster membership (cluster node listings, clustering events, cluster.log, the
;;; Failover-Clustering feature) are collected per host; a host with both is the finding.
;;; The exchange pack adds DAG membership as a sign of clustering (same id and key).

(deftemplate windows-nlb-sign
  (slot host (type STRING)) (slot what (type STRING)) (slot fact) (slot cluster-ip (type STRING) (default "")))
(deftemplate windows-cluster-sign
  (slot host (type STRING)) (slot what (type STRING)) (slot fact))

(deffunction windows-nlb-host (?name)
  "A host name as compared here: lower case, without domain."
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1)) then (sub-string 1 (- ?dot 1) ?n) else ?n))

(defrule windows-nlb-on-failover-cluster-sign-control
  ?f <- (nlb-node (host ?h&~"") (cluster_ip ?ip) (source ?s))
  =>
  (assert (windows-nlb-sign (host (windows-nlb-host ?h)) (what (str-cat ?s " shows NLB cluster " ?ip))
                            (fact ?f) (cluster-ip ?ip))))

(defrule windows-nlb-on-failover-cluster-sign-nlb-node-name
  "Get-NlbClusterNode names the node itself even when the file has no host."
  ?f <- (nlb-node (host "") (node ?n&~"") (cluster_ip ?ip) (source ?s))
  =>
  (assert (windows-nlb-sign (host (windows-nlb-host ?n)) (what (str-cat ?s " lists " ?n " in NLB cluster " ?ip))
                            (fact ?f) (cluster-ip ?ip))))

(defrule windows-nlb-on-failover-cluster-sign-event
  ?f <- (windows-event (kind "nlb"|"nlb-cluster-conflict") (host ?h&~"") (event_id ?id) (source ?s))
  =>
  (assert (windows-nlb-sign (host (windows-nlb-host ?h)) (what (str-cat ?s " event " ?id)) (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-feature
  ?f <- (windows-feature (name ?n&:(eq (lowcase ?n) "nlb")) (installed TRUE) (host ?h&~""))
  =>
  (assert (windows-nlb-sign (host (windows-nlb-host ?h)) (what "the NLB feature is installed") (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-node
  ?f <- (cluster-node (node ?n&~""))
  =>
  (assert (windows-cluster-sign (host (windows-nlb-host ?n)) (what "it is a node of a failover cluster") (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-feature-cluster
  ?f <- (windows-feature (name ?n&:(eq (lowcase ?n) "failover-clustering")) (installed TRUE) (host ?h&~""))
  =>
  (assert (windows-cluster-sign (host (windows-nlb-host ?h)) (what "the Failover Clustering feature is installed") (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-cluster-event
  ?f <- (windows-event (kind ?k&:(eq (str-index "cluster-" ?k) 1)) (host ?h&~""))
  =>
  (assert (windows-cluster-sign (host (windows-nlb-host ?h)) (what "it logs failover clustering events") (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-conflict
  "NLB's own warning that the cluster service is installed beside it."
  ?f <- (windows-event (kind "nlb-cluster-conflict") (host ?h&~""))
  =>
  (assert (windows-cluster-sign (host (windows-nlb-host ?h)) (what "NLB reports the cluster service on the same machine") (fact ?f))))

(defrule windows-nlb-on-failover-cluster-sign-log
  ?f <- (cluster-log-event (host ?h&~"") (line ?l))
  (not (cluster-log-event (host ?h) (line ?l2&:(< ?l2 ?l))))
  =>
  (assert (windows-cluster-sign (host (windows-nlb-host ?h)) (what "it runs the cluster service (cluster.log)") (fact ?f))))

;; Each sign once per host and kind (the same evidence seen in k bundles is one), so the conclusion
;; joins one fact per sign, not k x k lines: k copies cost O(k), and each line adds itself as evidence.
(deftemplate windows-nlb-seen (slot host (type STRING)) (slot what (type STRING)) (slot cluster-ip (type STRING)))
(deftemplate windows-cluster-seen (slot host (type STRING)) (slot what (type STRING)))
(deftemplate windows-nlb-flagged "The host has the finding." (slot host (type STRING)))

(defrule windows-nlb-on-failover-cluster-nlb-seen
  (windows-nlb-sign (host ?h) (what ?w) (cluster-ip ?ip))
  =>
  (assert (windows-nlb-seen (host ?h) (what ?w) (cluster-ip ?ip))))

(defrule windows-nlb-on-failover-cluster-cluster-seen
  (windows-cluster-sign (host ?h) (what ?w))
  =>
  (assert (windows-cluster-seen (host ?h) (what ?w))))

(defrule windows-nlb-on-failover-cluster
  (windows-nlb-seen (host ?h) (what ?nw))
  (windows-cluster-seen (host ?h) (what ?cw))
  =>
  (assert (windows-nlb-flagged (host ?h)))
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key ?h)
            (vars server (upcase ?h) nlb ?nw cluster ?cw))))

(defrule windows-nlb-on-failover-cluster-evidence
  "Each line showing NLB on the host, or its cluster membership."
  (windows-nlb-flagged (host ?h))
  (exists (windows-nlb-sign (host ?h)))
  (exists (windows-cluster-sign (host ?h)))
  (or (windows-nlb-sign (host ?h) (fact ?e))
      (windows-cluster-sign (host ?h) (fact ?e)))
  =>
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key ?h) (evidence ?e))))

(defrule windows-nlb-on-failover-cluster-ip
  (windows-nlb-flagged (host ?h))
  (windows-nlb-seen (host ?h) (cluster-ip ?ip&~""))
  =>
  (assert (hakb-finding (id "windows-nlb-on-failover-cluster") (key ?h) (vars cluster_ip ?ip))))
