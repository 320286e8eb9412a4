;;; edge-transport-*: an Edge Transport server needs these flows through its own firewall:
;;; TCP 25 in and out (Internet and Hub Transport servers), TCP 53 out (DNS), TCP 50636 in from
;;; the Hub Transport servers (EdgeSync over LDAPS); 3389 only where remote administration is
;;; wanted. Its default receive connector accepts anonymous SMTP on 25; a Hub's "Default" (25)
;;; and "Client" (587) connectors do not, and client submission belongs on 587. EdgeSync copies
;;; configuration every hour and recipients every four hours.
;;; Which server is the Edge: Get-ExchangeServer roles, its default receive connector, or
;;; Test-EdgeSynchronization. Firewall listings are matched to it by their host (per-host folder).

(defglobal
  ?*edge-sync-config-interval* = 3600       ; configuration replicates hourly
  ?*edge-sync-recipient-interval* = 14400)  ; recipients every four hours

(deftemplate edge-host
  "A server known to have the Edge Transport role (short name, lower case)."
  (slot name (type STRING)))

(deftemplate edge-required-flow
  (slot edge (type STRING))
  (slot direction (type STRING))
  (slot port (type INTEGER))
  (slot purpose (type STRING)))

(deffunction edge-short (?name)
  (bind ?name (lowcase ?name))
  (bind ?slash (str-index "\\" ?name))
  (if ?slash then (bind ?name (sub-string (+ ?slash 1) (str-length ?name) ?name)))
  (bind ?dot (str-index "." ?name))
  (if ?dot then (sub-string 1 (- ?dot 1) ?name) else ?name))

(deffunction edge-on-host (?edge ?host)
  "Facts without a host (a single collected file) are taken to be the Edge's."
  (or (eq ?host "") (eq (edge-short ?host) ?edge)))

(deffunction edge-tcp (?protocol)
  (if (member$ (lowcase ?protocol) (create$ "tcp" "any" "")) then TRUE else FALSE))

(deffunction edge-port-covered (?port $?tokens)
  "Whether a netsh port list (Any, 25, 25,587, 50000-50100) includes ?port."
  (progn$ (?token ?tokens)
    (bind ?t (lowcase (str-cat ?token)))
    (if (eq ?t "any") then (return TRUE))
    (bind ?dash (str-index "-" ?t))
    (if ?dash
        then (bind ?low (string-to-field (sub-string 1 (- ?dash 1) ?t)))
             (bind ?high (string-to-field (sub-string (+ ?dash 1) (str-length ?t) ?t)))
             (if (and (integerp ?low) (integerp ?high) (<= ?low ?port) (<= ?port ?high)) then (return TRUE))
        else (if (eq (string-to-field ?t) ?port) then (return TRUE))))
  FALSE)

(deffunction edge-member (?edge $?names)
  (progn$ (?name ?names) (if (eq (edge-short ?name) ?edge) then (return TRUE)))
  FALSE)

(deffunction edge-join ($?items)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (if (eq ?text "") then (str-cat ?item) else (str-cat ?text ", " ?item))))
  ?text)

;; --- which server is the Edge -------------------------------------------------------------

(defrule edge-host-from-server
  (exchange-server (name ?n&~"") (roles $? "Edge" $?))
  =>
  (assert (edge-host (name (edge-short ?n)))))

(defrule edge-host-from-connector
  (receive-connector (default_kind "edge-default") (server ?s&~""))
  =>
  (assert (edge-host (name (edge-short ?s)))))

(defrule edge-host-from-edgesync
  (edgesync-status (name ?n&~""))
  =>
  (assert (edge-host (name (edge-short ?n)))))

;; --- firewall flows -------------------------------------------------------------------------

(defrule edge-transport-required-flows
  "The Edge's own firewall was collected: these flows must pass it."
  (edge-host (name ?e))
  (exists (firewall-rule (host ?h&:(edge-on-host ?e ?h))))
  =>
  (assert (edge-required-flow (edge ?e) (direction "in") (port 25)
            (purpose "SMTP from the Internet and from the Hub Transport servers")))
  (assert (edge-required-flow (edge ?e) (direction "out") (port 25)
            (purpose "SMTP to the Internet and to the Hub Transport servers")))
  (assert (edge-required-flow (edge ?e) (direction "out") (port 53)
            (purpose "DNS lookups of MX and A records on the Internet")))
  (assert (edge-required-flow (edge ?e) (direction "in") (port 50636)
            (purpose "EdgeSync (LDAPS) from the Hub Transport servers"))))

(defrule edge-transport-flow-blocked-in
  (edge-required-flow (edge ?e) (direction "in") (port ?port) (purpose ?why))
  ?r <- (firewall-rule (enabled TRUE) (direction "in") (action "block") (protocol ?p&:(edge-tcp ?p))
                       (local_ports $?lp&:(edge-port-covered ?port ?lp)) (host ?h&:(edge-on-host ?e ?h))
                       (name ?rule))
  =>
  (assert (hakb-finding (id "edge-transport-firewall") (key (str-cat ?e " in TCP " ?port)) (evidence ?r)
            (vars edge ?e direction "inbound" port ?port purpose ?why blocked_by ?rule))))

(defrule edge-transport-flow-blocked-out
  (edge-required-flow (edge ?e) (direction "out") (port ?port) (purpose ?why))
  ?r <- (firewall-rule (enabled TRUE) (direction "out") (action "block") (protocol ?p&:(edge-tcp ?p))
                       (remote_ports $?rp&:(edge-port-covered ?port ?rp)) (host ?h&:(edge-on-host ?e ?h))
                       (name ?rule))
  =>
  (assert (hakb-finding (id "edge-transport-firewall") (key (str-cat ?e " out TCP " ?port)) (evidence ?r)
            (vars edge ?e direction "outbound" port ?port purpose ?why blocked_by ?rule))))

(defrule edge-transport-flow-missing-in
  "Inbound is blocked by default: without an allow rule the flow does not pass."
  (edge-required-flow (edge ?e) (direction "in") (port ?port) (purpose ?why))
  (not (firewall-rule (enabled TRUE) (direction "in") (action "allow"|"bypass") (protocol ?p&:(edge-tcp ?p))
                      (local_ports $?lp&:(edge-port-covered ?port ?lp)) (host ?h&:(edge-on-host ?e ?h))))
  (not (firewall-policy (inbound "allow") (host ?ph&:(edge-on-host ?e ?ph))))
  (not (firewall-policy (state "off") (host ?sh&:(edge-on-host ?e ?sh))))
  =>
  (bind ?evidence (create$))
  (do-for-all-facts ((?f firewall-policy)) (edge-on-host ?e ?f:host) (bind ?evidence (create$ ?evidence ?f)))
  (assert (hakb-finding (id "edge-transport-firewall") (key (str-cat ?e " in TCP " ?port)) (evidence ?evidence)
            (vars edge ?e direction "inbound" port ?port purpose ?why missing "yes"))))

(defrule edge-transport-flow-missing-out
  "Outbound passes by default unless the profile blocks outbound: then an allow rule is needed."
  (edge-required-flow (edge ?e) (direction "out") (port ?port) (purpose ?why))
  ?policy <- (firewall-policy (outbound "block") (state ~"off") (host ?ph&:(edge-on-host ?e ?ph)))
  (not (firewall-rule (enabled TRUE) (direction "out") (action "allow"|"bypass") (protocol ?p&:(edge-tcp ?p))
                      (remote_ports $?rp&:(edge-port-covered ?port ?rp)) (host ?h&:(edge-on-host ?e ?h))))
  =>
  (assert (hakb-finding (id "edge-transport-firewall") (key (str-cat ?e " out TCP " ?port)) (evidence ?policy)
            (vars edge ?e direction "outbound" port ?port purpose ?why missing "yes"))))

(defrule edge-transport-rdp-open
  "RDP allowed from anywhere: only wanted for remote administration, and then from the inside."
  (edge-host (name ?e))
  ?r <- (firewall-rule (enabled TRUE) (direction "in") (action "allow") (protocol ?p&:(edge-tcp ?p))
                       (local_ports $?lp&:(edge-port-covered 3389 ?lp))
                       (remote_ip ?ip&:(member$ (lowcase ?ip) (create$ "any" ""))) (host ?h&:(edge-on-host ?e ?h))
                       (name ?rule))
  =>
  (assert (hakb-finding (id "edge-transport-rdp") (key ?e) (evidence ?r) (vars edge ?e rule ?rule))))

;; --- receive connectors ---------------------------------------------------------------------

(defrule edge-transport-edge-not-anonymous
  "The Edge's connectors were listed, and none on port 25 accepts anonymous senders."
  (edge-host (name ?e))
  (exists (receive-connector (server ?s&:(eq (edge-short ?s) ?e))))
  ;; ports are [] when the shape did not show the bindings (Export-Csv): no judgement then
  (not (receive-connector (server ?s3&:(eq (edge-short ?s3) ?e)) (ports)))
  (not (receive-connector (server ?s2&:(eq (edge-short ?s2) ?e)) (ports $? 25 $?) (anonymous TRUE)
                          (enabled ~FALSE)))
  =>
  (bind ?evidence (create$))
  (bind ?names (create$))
  (bind ?identity "")
  (bind ?server ?e)
  (do-for-all-facts ((?c receive-connector)) (and (eq (edge-short ?c:server) ?e) (member$ 25 ?c:ports))
    (bind ?evidence (create$ ?evidence ?c))
    (bind ?identity ?c:identity)
    (bind ?server ?c:server)
    (bind ?names (create$ ?names (str-cat ?c:name " (" (edge-join ?c:permission_groups) ")"))))
  (assert (hakb-finding (id "edge-transport-receive-connector") (key (str-cat ?e " anonymous on 25"))
            (severity "error") (evidence ?evidence)
            (vars server ?server edge_no_anonymous "yes" identity ?identity
                  connector (if (> (length$ ?names) 0) then (edge-join ?names) else "")))))

(defrule edge-transport-hub-anonymous
  "A Hub's Default or Client connector accepts anonymous senders while an Edge takes Internet mail."
  (exists (edge-host))
  ?c <- (receive-connector (default_kind ?kind&"hub-default"|"hub-client") (anonymous TRUE) (identity ?id)
                           (name ?n) (server ?s) (permission_groups $?groups))
  =>
  (assert (hakb-finding (id "edge-transport-receive-connector") (key ?id) (evidence ?c)
            (vars connector ?n server ?s hub_anonymous "yes" groups (edge-join ?groups)
                  port (if (eq ?kind "hub-client") then 587 else 25)))))

(defrule edge-transport-client-port
  "The Hub's Client connector is meant for client submission on 587."
  ?c <- (receive-connector (default_kind "hub-client") (identity ?id) (name ?n) (server ?s)
                           (ports $?ports&:(> (length$ ?ports) 0)&:(not (member$ 587 ?ports))))
  =>
  (assert (hakb-finding (id "edge-transport-receive-connector") (key ?id) (evidence ?c)
            (vars connector ?n server ?s client_port_wrong "yes" ports (edge-join ?ports)))))

;; --- EdgeSync -------------------------------------------------------------------------------

(defrule edge-sync-status-failed
  ?s <- (edgesync-status (name ?e) (sync_status ?st) (connection_result ?cr) (failure_detail ?fd))
  (test (or (and (neq ?st "") (neq (lowcase ?st) "normal"))
            (and (neq ?cr "") (neq (lowcase ?cr) "succeeded"))))
  =>
  (assert (hakb-finding (id "edge-sync-stale") (key (edge-short ?e)) (evidence ?s)
            (vars edge ?e sync_status ?st connection ?cr detail ?fd))))

(defrule edge-sync-last-sync-old
  (hakb-case (as-of ?now) (as-of-iso ?now-iso))
  ?s <- (edgesync-status (name ?e) (last_sync ?t&:(integerp ?t)&:(> (- ?now ?t) ?*edge-sync-config-interval*))
                         (last_sync_iso ?iso))
  =>
  (assert (hakb-finding (id "edge-sync-stale") (key (edge-short ?e)) (evidence ?s)
            (vars edge ?e last_sync ?iso hours (div (- ?now ?t) 3600) as_of ?now-iso))))

(defrule edge-sync-send-connector-missing
  "A send connector sourced on the Edge subscription, changed over an hour ago, absent on the Edge."
  (hakb-case (as-of ?now))
  (edge-host (name ?e))
  ?o <- (send-connector (name ?n) (host ?h&~""&:(neq (edge-short ?h) ?e)) (when_changed_iso ?iso)
                        (source_servers $?src&:(edge-member ?e ?src))
                        (when_changed ?t&:(integerp ?t)&:(> (- ?now ?t) ?*edge-sync-config-interval*)))
  (exists (send-connector (host ?eh&:(eq (edge-short ?eh) ?e))))
  (not (send-connector (host ?eh2&:(eq (edge-short ?eh2) ?e)) (name ?n2&:(eq (lowcase ?n2) (lowcase ?n)))))
  =>
  (assert (hakb-finding (id "edge-sync-stale") (key ?e) (evidence ?o)
            (vars edge ?e missing (str-cat "send connector " ?n " (changed " ?iso ")")))))

(defrule edge-sync-accepted-domain-missing
  "An accepted domain changed over an hour ago that the Edge does not have."
  (hakb-case (as-of ?now))
  (edge-host (name ?e))
  ?o <- (accepted-domain (domain_name ?d) (host ?h&~""&:(neq (edge-short ?h) ?e)) (when_changed_iso ?iso)
                         (when_changed ?t&:(integerp ?t)&:(> (- ?now ?t) ?*edge-sync-config-interval*)))
  (exists (accepted-domain (host ?eh&:(eq (edge-short ?eh) ?e))))
  (not (accepted-domain (host ?eh2&:(eq (edge-short ?eh2) ?e)) (domain_name ?d)))
  =>
  (assert (hakb-finding (id "edge-sync-stale") (key ?e) (evidence ?o)
            (vars edge ?e missing (str-cat "accepted domain " ?d " (changed " ?iso ")")))))

(defrule edge-sync-related-firewall
  "EdgeSync lagging and LDAPS 50636 not open to the Edge: one story."
  (hakb-finding (id "edge-sync-stale") (key ?e))
  (hakb-finding (id "edge-transport-firewall") (key ?k&:(eq ?k (str-cat ?e " in TCP 50636"))))
  =>
  (assert (hakb-relate (id "edge-sync-stale") (key ?e) (other-id "edge-transport-firewall") (other-key ?k))
          (hakb-finding (id "edge-sync-stale") (key ?e) (vars ldaps_blocked "yes"))))
