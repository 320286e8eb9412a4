;;; nsx-manager-appliance: the vShield/vCNS Manager VM is too small or has the wrong adapter.
;;;
;;; NSX Manager 6.2 needs 16 GB of memory (memSize >= 16384 MB) and its network adapter should
;;; be VMXNET3, not the e1000 the vShield Manager OVA used. Both are read from the appliance's
;;; .vmx. Key: the VM's display name.

(defrule nsx-manager-appliance-memory
  ?c <- (vm-config (role "nsx-manager") (vm ?vm) (memsize ?mb&:(integerp ?mb)&:(< ?mb 16384)))
  =>
  (assert (hakb-finding (id "nsx-manager-appliance") (key ?vm) (evidence ?c)
                        (vars vm ?vm memory_mb ?mb memory_gb (format nil "%g" (/ ?mb 1024.0))))))

(defrule nsx-manager-appliance-adapter
  ?n <- (vm-nic-config (role "nsx-manager") (vm ?vm) (adapter ?adapter) (device ?device&~"vmxnet3"&~""))
  =>
  (assert (hakb-finding (id "nsx-manager-appliance") (key ?vm) (evidence ?n)
                        (vars vm ?vm adapter ?adapter device ?device))))

(defrule nsx-manager-appliance-ok-memory
  ?c <- (vm-config (role "nsx-manager") (vm ?vm) (memsize ?mb&:(integerp ?mb)&:(>= ?mb 16384)))
  =>
  (assert (nsx-ok manager-memory ?vm (str-cat ?vm ": " (format nil "%g" (/ ?mb 1024.0)) " GB memory") ?c)))

(defrule nsx-manager-appliance-ok-adapter
  (vm-config (role "nsx-manager") (vm ?vm))
  ?n <- (vm-nic-config (role "nsx-manager") (vm ?vm) (adapter ?adapter) (device "vmxnet3"))
  (not (vm-nic-config (role "nsx-manager") (vm ?vm) (device ~"vmxnet3")))
  =>
  (assert (nsx-ok manager-nic ?vm (str-cat ?vm ": " ?adapter " is vmxnet3") ?n)))

(defrule nsx-manager-appliance-unverified-vmx
  (declare (salience -10))
  (nsx-scope)
  (not (vm-config (role "nsx-manager")))
  =>
  (assert (hakb-unverified (rule "nsx-manager-appliance")
                           (check "memory (16 GB) and network adapter (VMXNET3) of the vCNS Manager appliance")
                           (collect (str-cat "collect the Manager appliance's .vmx file (datastore browser, "
                                             "or `cat` of it on the host that runs it)")))))

;; getallvms showed where the Manager's .vmx is: say exactly what to collect.
(defrule nsx-manager-appliance-unverified-vmx-known
  (declare (salience -10))
  (nsx-scope)
  (not (vm-config (role "nsx-manager")))
  ?i <- (vm-inventory (role "nsx-manager") (vm ?vm) (datastore ?ds) (file ?file) (host ?h))
  =>
  (assert (hakb-unverified (rule "nsx-manager-appliance") (host ?h) (evidence ?i)
                           (check (str-cat "memory (16 GB) and network adapter (VMXNET3) of " ?vm))
                           (collect (str-cat "collect `cat \"/vmfs/volumes/" ?ds "/" ?file "\"` from " ?h)))))

(defrule nsx-manager-appliance-unverified-adapter
  (declare (salience -10))
  ?c <- (vm-config (role "nsx-manager") (vm ?vm))
  (or (not (vm-nic-config (role "nsx-manager") (vm ?vm)))
      (vm-nic-config (role "nsx-manager") (vm ?vm) (device "")))
  =>
  (assert (hakb-unverified (rule "nsx-manager-appliance") (evidence ?c)
                           (check (str-cat "network adapter type of " ?vm ": the .vmx does not name one"))
                           (collect (str-cat "check the adapter type in the settings of " ?vm
                                             " (vSphere Client: Edit Settings > Network adapter)")))))
