;;; cluster-node-evicted: a node was removed from failover cluster membership (System event
;;; 1135 or cluster.log), with the heartbeat symptoms logged in the five minutes before it.
;;; The exchange pack ties this finding to the DAG's heartbeat settings (same story).

(deffunction cluster-node-evicted-host (?name)
  (bind ?n (lowcase (str-cat ?name)))
  (bind ?dot (str-index "." ?n))
  (if (and ?dot (> ?dot 1) (not (numberp (string-to-field (sub-string 1 (- ?dot 1) ?n)))))
   then (sub-string 1 (- ?dot 1) ?n) else ?n))

(defrule cluster-node-evicted-event
  ?e <- (windows-event (kind "cluster-node-removed") (node ?n) (host ?h) (time ?t))
  =>
  (assert (hakb-finding (id "cluster-node-evicted") (key (cluster-node-evicted-host ?n)) (evidence ?e)
            (vars node (upcase (cluster-node-evicted-host ?n)) reporter ?h time ?t))))

(defrule cluster-node-evicted-log
  ?e <- (cluster-log-event (kind "node-removed") (node ?n) (host ?h) (time ?t))
  =>
  (assert (hakb-finding (id "cluster-node-evicted") (key (cluster-node-evicted-host ?n)) (evidence ?e)
            (vars node (upcase (cluster-node-evicted-host ?n)) reporter ?h time ?t))))

;; One fact per removal (node and time; the same removal seen in k bundles is one), so each
;; symptom line joins one removal, not k: k copies cost O(k).
(deftemplate cluster-node-evicted-removal "A node removed at a time (host: the log that says so, or \"\")."
  (slot node) (slot epoch) (slot host))

(defrule cluster-node-evicted-removal-event
  (declare (salience 10))
  (windows-event (kind "cluster-node-removed") (node ?n) (epoch ?ep&:(integerp ?ep)))
  =>
  (assert (cluster-node-evicted-removal (node ?n) (epoch ?ep) (host ""))))

(defrule cluster-node-evicted-removal-log
  (declare (salience 10))
  (cluster-log-event (kind "node-removed") (node ?n) (epoch ?ep&:(integerp ?ep)) (host ?h))
  =>
  (assert (cluster-node-evicted-removal (node ?n) (epoch ?ep) (host ?h))))

(defrule cluster-node-evicted-symptoms-after-event
  "Missed heartbeats, unreachable endpoints and routes down just before a removal event."
  (cluster-node-evicted-removal (node ?n) (epoch ?ep) (host ""))
  ?s <- (cluster-log-event (kind ?k&"missed-heartbeat"|"unreachable"|"route-down"|"node-disconnected")
                           (epoch ?se&:(integerp ?se)&:(<= (- ?ep 300) ?se ?ep)))
  =>
  (assert (hakb-finding (id "cluster-node-evicted") (key (cluster-node-evicted-host ?n)) (evidence ?s)
            (vars symptom ?k))))

(defrule cluster-node-evicted-symptoms-in-log
  (cluster-node-evicted-removal (node ?n) (epoch ?ep) (host ?h&~""))
  ?s <- (cluster-log-event (kind ?k&"missed-heartbeat"|"unreachable"|"route-down"|"node-disconnected")
                           (host ?h) (epoch ?se&:(integerp ?se)&:(<= (- ?ep 300) ?se ?ep)))
  =>
  (assert (hakb-finding (id "cluster-node-evicted") (key (cluster-node-evicted-host ?n)) (evidence ?s)
            (vars symptom ?k))))
