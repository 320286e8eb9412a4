;;; sql-ag-listener-port: behind an Azure load balancer rule that forwards 1433, the listener must listen on 1433.

;;; One fact per listener and port (built first), so the same evidence seen k times costs O(k):
;;; the conclusion is asserted once per listener; its lines and the endpoints' add themselves.
(deftemplate sql-port-listener "A listener on a port other than 1433." (slot name) (slot port))
(deftemplate sql-port-flagged "The listener has a finding." (slot name))

(defrule sql-ag-listener-port-listener
  (declare (salience 10))
  (sql-ag-listener (name ?n) (port ?p&:(integerp ?p)&:(neq ?p 1433)))
  =>
  (assert (sql-port-listener (name ?n) (port ?p))))

(defrule sql-ag-listener-port
  (sql-port-listener (name ?n) (port ?p))
  (exists (azure-lb-endpoint (local_port ?lp&:(or (eq ?lp nil) (eq ?lp 1433)))))
  =>
  (assert (sql-port-flagged (name ?n)))
  (assert (hakb-finding (id "sql-ag-listener-port") (key ?n) (vars listener ?n port ?p))))

(defrule sql-ag-listener-port-evidence
  "The listener's lines and the endpoints forwarding 1433."
  (sql-port-flagged (name ?n))
  (or ?e <- (sql-ag-listener (name ?n) (port ?p&:(integerp ?p)&:(neq ?p 1433)))
      ?e <- (azure-lb-endpoint (local_port ?lp&:(or (eq ?lp nil) (eq ?lp 1433)))))
  =>
  (assert (hakb-finding (id "sql-ag-listener-port") (key ?n) (evidence ?e))))

;; sql-ilb-flagged is defined by sql-ag-listener-ilb.clp, which loads first (files load by name).
(defrule sql-ag-listener-port-story
  "The listener port and the load balancer settings are one story."
  (sql-port-flagged (name ?n))
  (sql-ilb-flagged (object ?o))
  =>
  (assert (hakb-relate (id "sql-ag-listener-port") (key ?n) (other-id "sql-ag-listener-ilb") (other-key ?o))))
