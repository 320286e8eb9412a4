;;; sql-ag-listener-ilb: the IP address resource of an availability group listener behind an Azure
;;; internal load balancer must answer the load balancer's probe (ProbePort), use a host mask
;;; (255.255.255.255) and a static address (EnableDhcp 0). One finding per IP resource; each wrong
;;; setting adds its value. The fix step is the Set-ClusterParameter line with the case's values.

;;; Joins go through one fact per resource setting, load balancer address and probe (built first,
;;; salience 20), then one per IP resource behind a load balancer (salience 10), so the same
;;; evidence seen k times (k bundles of one incident) costs O(k) firings: each wrong setting line
;;; adds itself, its value and the resource's address line to the one finding of its resource.

(deftemplate sql-ilb-address "An IP address resource's address." (slot object (type STRING)) (slot ip (type STRING)))
(deftemplate sql-ilb-probe "An IP address resource's ProbePort (nil when not a number)." (slot object (type STRING)) (slot number))
(deftemplate sql-ilb-front "An internal load balancer's front-end address." (slot ip (type STRING)))
(deftemplate sql-ilb-lb-probe "A load-balanced endpoint's probe port (> 0)." (slot port))
(deftemplate sql-ilb-resource (slot object (type STRING)) (slot address (type STRING)) (slot why (type STRING)))
(deftemplate sql-ilb-flagged "The resource has a finding." (slot object (type STRING)))

(defrule sql-ag-listener-ilb-address
  (declare (salience 20))
  (cluster-parameter (name ?n&:(eq (lowcase ?n) "address")) (object ?o) (value ?ip&~""))
  =>
  (assert (sql-ilb-address (object ?o) (ip ?ip))))

(defrule sql-ag-listener-ilb-probe
  (declare (salience 20))
  (cluster-parameter (name ?p&:(eq (lowcase ?p) "probeport")) (object ?o) (number ?pp))
  =>
  (assert (sql-ilb-probe (object ?o) (number ?pp))))

(defrule sql-ag-listener-ilb-front
  (declare (salience 20))
  (azure-ilb (ip ?ip))
  =>
  (assert (sql-ilb-front (ip ?ip))))

(defrule sql-ag-listener-ilb-lb-probe
  (declare (salience 20))
  (azure-lb-endpoint (probe_port ?pp&:(integerp ?pp)&:(> ?pp 0)))
  =>
  (assert (sql-ilb-lb-probe (port ?pp))))

(defrule sql-ag-listener-ilb-resource-by-ilb
  "The resource's address is the internal load balancer's front-end address."
  (declare (salience 10))
  (sql-ilb-address (object ?o) (ip ?ip))
  (sql-ilb-front (ip ?ip))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (why "its address is the internal load balancer's"))))

(defrule sql-ag-listener-ilb-resource-by-endpoint
  "An Azure load-balanced endpoint with a probe exists and the resource is an IP address resource."
  (declare (salience 10))
  (sql-ilb-address (object ?o) (ip ?ip))
  (exists (sql-ilb-probe (object ?o)))
  (exists (sql-ilb-lb-probe))
  (not (sql-ilb-front (ip ?ip)))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (why "the case has an Azure load-balanced endpoint with a probe"))))

(defrule sql-ag-listener-ilb-resource-by-probe
  "A non-zero ProbePort says the resource is meant to sit behind a load balancer."
  (declare (salience 10))
  (sql-ilb-address (object ?o) (ip ?ip))
  (exists (sql-ilb-probe (object ?o) (number ?pp&:(integerp ?pp)&:(> ?pp 0))))
  (not (sql-ilb-front (ip ?ip)))
  (not (sql-ilb-lb-probe))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (why "its ProbePort is set"))))

;;; -- each wrong setting, once per line ----------------------------------------------------------------

(defrule sql-ag-listener-ilb-probe-port
  (sql-ilb-resource (object ?o) (address ?ip) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "probeport")) (object ?o) (number ?cur&:(integerp ?cur)))
  (exists (sql-ilb-lb-probe (port ?lb&:(neq ?lb ?cur))))
  =>
  (assert (sql-ilb-flagged (object ?o)))
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?p)
            (vars resource ?o address ?ip why ?why probe_now ?cur))))

(defrule sql-ag-listener-ilb-probe-port-zero
  "ProbePort 0 and no load balancer probe in the case to compare with."
  (sql-ilb-resource (object ?o) (address ?ip) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "probeport")) (object ?o) (number 0))
  (not (sql-ilb-lb-probe))
  =>
  (assert (sql-ilb-flagged (object ?o)))
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?p)
            (vars resource ?o address ?ip why ?why probe_now 0)))
  (assert (hakb-unverified (rule "sql-ag-listener-ilb")
            (check (str-cat "the probe port of the load balancer rule in front of " ?ip))
            (collect "Get-AzureVM ... | Get-AzureEndpoint | fl (or Get-AzLoadBalancerProbeConfig | fl)"))))

(defrule sql-ag-listener-ilb-mask
  (sql-ilb-resource (object ?o) (address ?ip) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "subnetmask")) (object ?o) (value ?m&~"255.255.255.255"))
  =>
  (assert (sql-ilb-flagged (object ?o)))
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?p)
            (vars resource ?o address ?ip why ?why mask_now ?m))))

(defrule sql-ag-listener-ilb-dhcp
  (sql-ilb-resource (object ?o) (address ?ip) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "enabledhcp")) (object ?o) (number ?d&:(integerp ?d)&:(neq ?d 0)))
  =>
  (assert (sql-ilb-flagged (object ?o)))
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?p)
            (vars resource ?o address ?ip why ?why dhcp_now ?d))))

(defrule sql-ag-listener-ilb-address-evidence
  "The resource's address lines."
  (sql-ilb-flagged (object ?o))
  (sql-ilb-resource (object ?o) (address ?ip))
  ?f <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "address")) (object ?o) (value ?ip))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?f))))

;;; -- the values the fix line needs ---------------------------------------------------------------------

(defrule sql-ag-listener-ilb-values
  "The values the fix line needs: the load balancer's probe port and the resource's network."
  (sql-ilb-flagged (object ?o))
  ?e <- (azure-lb-endpoint (probe_port ?lb&:(integerp ?lb)&:(> ?lb 0)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?e) (vars probe_port ?lb))))

(defrule sql-ag-listener-ilb-values-current-probe
  (sql-ilb-flagged (object ?o))
  (not (sql-ilb-lb-probe))
  (sql-ilb-probe (object ?o) (number ?cur&:(integerp ?cur)&:(> ?cur 0)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars probe_port ?cur))))

(defrule sql-ag-listener-ilb-values-network
  (sql-ilb-flagged (object ?o))
  (cluster-parameter (name ?n&:(eq (lowcase ?n) "network")) (object ?o) (value ?net&~""))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars network ?net))))

(defrule sql-ag-listener-ilb-values-listener
  (sql-ilb-flagged (object ?o))
  (sql-ag-listener (name ?n&~""))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars listener ?n))))
