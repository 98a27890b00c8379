-------------------------------- MODULE HiLok --------------------------------
(***************************************************************************)
(* The hilok lock core and the driver around it, as the stateright model   *)
(* (model/) runs them. Variable names are the model's State fields; action *)
(* names are the model's Action variants (model/src/action.rs); operators  *)
(* named Node<Name> (NodeRequest, NodeEnqueue, NodeRelease, NodeCancel,   *)
(* NodeSettle, NodeWatch, NodeCheckTransfer, NodeApplyTransfer, ...)       *)
(* mirror the core function <name> (NodeState::request, ...) in            *)
(* core/src/node.rs and core/src/transfer.rs. TLA/check.sh checks that     *)
(* every such name, every action and every variable exists.                *)
(*                                                                         *)
(* The model keeps step-property violations as sticky bits of `violated`;  *)
(* here they are invariants and action properties instead, so `violated`  *)
(* is not a variable (in a correct run it is always zero, so the number of *)
(* distinct states is the same).                                           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags, TLC

CONSTANTS
    NOwners,      \* owners are 0 .. NOwners - 1
    Ops,          \* operations (acquisitions, renames) per owner
    Paths,        \* paths owners acquire: sequences of component strings
    Rank,         \* component -> number: the sibling order of the lock order
    Reads,        \* whether owners read
    Writes,       \* whether owners write
    Waits,        \* subset of {"Block", "Try", "Timed"} for acquisitions
    Renames,      \* set of <<from, to>> paths
    RenameWaits,  \* subset of {"Block", "Try", "Timed"} for renames
    Recursion,    \* "Strict", "RecursiveWrite", "RecursiveOneway", "Recursive"
    LooseRead,    \* LOOSE_READ_UNLOCK
    LooseWrite,   \* LOOSE_WRITE_UNLOCK
    Ordered       \* TRUE: lock order, and renames only while holding nothing

VARIABLES
    nodes,   \* path -> [holders, queue]; a path is in the domain iff not idle
    owners,  \* owner -> [ops_left, guards (a bag), pc, inbox]
    last     \* the reachability event of the last step, or "none"

vars == <<nodes, owners, last>>

OwnerIds == 0 .. (NOwners - 1)
Min(a, b) == IF a < b THEN a ELSE b

(***************************************************************************)
(* Modes and counts (core/src/mode.rs, counts.rs, recursion.rs).           *)
(***************************************************************************)
Compatible(a, b) == a = "S" /\ b = "S"
CountsOf(m, n) == IF m = "S" THEN <<n, 0>> ELSE <<0, n>>
Zero == <<0, 0>>
IsZero(c) == c = Zero
Total(c) == c[1] + c[2]
Add(c, d) == <<c[1] + d[1], c[2] + d[2]>>
CanSub(c, d) == c[1] >= d[1] /\ c[2] >= d[2]
Sub(c, d) == <<c[1] - d[1], c[2] - d[2]>>
ModesOf(c) == {m \in {"S", "X"} : (m = "S" /\ c[1] > 0) \/ (m = "X" /\ c[2] > 0)}
Effective(c) == IF c[2] > 0 THEN "X" ELSE IF c[1] > 0 THEN "S" ELSE "none"
CountsCompatible(c, d) == \A a \in ModesOf(c), b \in ModesOf(d) : Compatible(a, b)

Reentry(held, req) ==
    CASE held = "S" /\ req = "S" -> "Grant"
      [] Recursion = "Strict" -> "Refuse"
      [] Recursion = "RecursiveWrite" -> IF held = "X" /\ req = "X" THEN "Grant" ELSE "Refuse"
      [] Recursion = "RecursiveOneway" -> IF held = "X" THEN "Grant" ELSE "Refuse"
      [] OTHER -> IF held = "S" /\ req = "X" THEN "Escalate" ELSE "Grant"

(* Access.mode_at: shared on ancestors, the leaf shared or exclusive. *)
ModeAt(write, level, depth) == IF write /\ level + 1 = depth THEN "X" ELSE "S"
LooseRelease(write) == IF write THEN LooseWrite ELSE LooseRead

(***************************************************************************)
(* Paths.                                                                  *)
(***************************************************************************)
Prefix(p, k) == SubSeq(p, 1, k)
AtOrBelow(p, q) == Len(p) >= Len(q) /\ Prefix(p, Len(q)) = q
Rebase(p, from, to) == to \o SubSeq(p, Len(from) + 1, Len(p))
RECURSIVE LockLE(_, _)
LockLE(p, q) == \/ p = <<>>
                \/ /\ q /= <<>>
                   /\ \/ Rank[Head(p)] < Rank[Head(q)]
                      \/ Head(p) = Head(q) /\ LockLE(Tail(p), Tail(q))

(***************************************************************************)
(* Sequences as the core's Vec and VecDeque use them.                      *)
(***************************************************************************)
RemoveAt(s, i) == SubSeq(s, 1, i - 1) \o SubSeq(s, i + 1, Len(s))
SwapRemove(s, i) == IF i = Len(s) THEN SubSeq(s, 1, Len(s) - 1)
                    ELSE [SubSeq(s, 1, Len(s) - 1) EXCEPT ![i] = s[Len(s)]]
FirstIndex(s, P(_)) == IF \E i \in 1 .. Len(s) : P(s[i])
                       THEN CHOOSE i \in 1 .. Len(s) : P(s[i]) /\ \A j \in 1 .. i - 1 : ~P(s[j])
                       ELSE 0

(***************************************************************************)
(* One node (core/src/node.rs).                                            *)
(***************************************************************************)
EmptyNode == [holders |-> <<>>, queue |-> <<>>]
Idle(n) == n.holders = <<>> /\ n.queue = <<>>
Position(n, o) == FirstIndex(n.holders, LAMBDA h : h.owner = o)
NodeHolding(n, o) == IF Position(n, o) = 0 THEN Zero ELSE n.holders[Position(n, o)].counts
NodeHasEscalation(n) == \E i \in 1 .. Len(n.queue) : n.queue[i].want.kind = "Escalate"
OthersCompatible(n, o, m) ==
    \A i \in 1 .. Len(n.holders) :
        n.holders[i].owner = o \/ CountsCompatible(CountsOf(m, 1), n.holders[i].counts)
FreshGrantable(n, o, m, ahead) ==
    /\ OthersCompatible(n, o, m)
    /\ \A i \in 1 .. ahead : LET e == n.queue[i] IN
           e.want.kind = "Watch" \/ e.owner = o \/ Compatible(m, e.want.mode)
Grant(n, o, m) ==
    IF Position(n, o) = 0
    THEN [n EXCEPT !.holders = Append(@, [owner |-> o, counts |-> CountsOf(m, 1)])]
    ELSE [n EXCEPT !.holders[Position(n, o)].counts = Add(@, CountsOf(m, 1))]

WaitOrRefuse(n, want, blocking) ==
    IF blocking = "Try" THEN [d |-> "WouldBlock", node |-> n, want |-> want]
    ELSE [d |-> "Wait", node |-> n, want |-> want]

(* NodeState::request: [d, node, want]. *)
NodeRequest(n, o, m, blocking) ==
    LET fresh == [kind |-> "Fresh", mode |-> m]
        esc == [kind |-> "Escalate", mode |-> m]
        granted == [d |-> "Granted", node |-> Grant(n, o, m), want |-> fresh]
    IN IF Position(n, o) = 0
       THEN IF FreshGrantable(n, o, m, Len(n.queue)) THEN granted ELSE WaitOrRefuse(n, fresh, blocking)
       ELSE CASE Reentry(Effective(NodeHolding(n, o)), m) = "Grant" -> granted
              [] Reentry(Effective(NodeHolding(n, o)), m) = "Refuse" ->
                     [d |-> "WouldDeadlock", node |-> n, want |-> esc]
              [] OTHER -> IF OthersCompatible(n, o, m) THEN granted
                          ELSE IF NodeHasEscalation(n) THEN [d |-> "WouldDeadlock", node |-> n, want |-> esc]
                          ELSE WaitOrRefuse(n, esc, blocking)

(* NodeState::enqueue: escalations go to the front. *)
NodeEnqueue(n, o, want) ==
    LET e == [owner |-> o, want |-> want, token |-> o]
    IN IF want.kind = "Escalate" THEN [n EXCEPT !.queue = <<e>> \o @]
       ELSE [n EXCEPT !.queue = Append(@, e)]

NodeWatch(n, o) == NodeEnqueue(n, o, [kind |-> "Watch", mode |-> "none"])

GrantableAt(n, i) ==
    LET e == n.queue[i] IN
    IF e.want.kind = "Fresh" THEN FreshGrantable(n, e.owner, e.want.mode, i - 1)
    ELSE OthersCompatible(n, e.owner, e.want.mode)

(* NodeState::settle: grant in queue order, wake every watcher. *)
RECURSIVE SettleFrom(_, _, _)
SettleFrom(n, i, wake) ==
    IF i > Len(n.queue) THEN [node |-> n, wake |-> wake]
    ELSE LET e == n.queue[i]
             rest == [n EXCEPT !.queue = RemoveAt(@, i)]
         IN IF e.want.kind = "Watch" THEN SettleFrom(rest, i, Append(wake, <<e.token, "Changed", e>>))
            ELSE IF GrantableAt(n, i)
                 THEN SettleFrom(Grant(rest, e.owner, e.want.mode), i, Append(wake, <<e.token, "Granted", e>>))
                 ELSE SettleFrom(n, i + 1, wake)
NodeSettle(n) == SettleFrom(n, 1, <<>>)

(* NodeState::release (the driver only releases what is held). *)
NodeRelease(n, o, m) ==
    LET i == Position(n, o)
        c == Sub(n.holders[i].counts, CountsOf(m, 1))
        n1 == IF IsZero(c) THEN [n EXCEPT !.holders = SwapRemove(@, i)]
              ELSE [n EXCEPT !.holders[i].counts = c]
    IN IF n1.queue = <<>> THEN [node |-> n1, wake |-> <<>>] ELSE NodeSettle(n1)

(* NodeState::cancel of a present entry. *)
NodeCancel(n, o) ==
    LET i == FirstIndex(n.queue, LAMBDA e : e.owner = o)
        n1 == [n EXCEPT !.queue = RemoveAt(@, i)]
    IN IF n.queue[i].want.kind = "Watch" THEN [node |-> n1, wake |-> <<>>] ELSE NodeSettle(n1)

(***************************************************************************)
(* Rename transitions on one node (core/src/transfer.rs). A transfer list  *)
(* is a sequence of <<owner, counts>>.                                     *)
(***************************************************************************)
RECURSIVE RemoveAll(_, _)
RemoveAll(hs, rm) ==
    IF rm = <<>> THEN hs
    ELSE LET o == Head(rm)[1]
             i == FirstIndex(hs, LAMBDA h : h.owner = o)
         IN IF i = 0 \/ ~CanSub(hs[i].counts, Head(rm)[2]) THEN "fail"
            ELSE RemoveAll([hs EXCEPT ![i].counts = Sub(@, Head(rm)[2])], Tail(rm))
RECURSIVE AddAll(_, _)
AddAll(hs, ad) ==
    IF ad = <<>> THEN hs
    ELSE LET o == Head(ad)[1]
             i == FirstIndex(hs, LAMBDA h : h.owner = o)
         IN AddAll(IF i = 0 THEN Append(hs, [owner |-> o, counts |-> Head(ad)[2]])
                   ELSE [hs EXCEPT ![i].counts = Add(@, Head(ad)[2])], Tail(ad))
NonZero(hs) == SelectSeq(hs, LAMBDA h : ~IsZero(h.counts))
HoldersAfter(n, t) ==
    LET r == RemoveAll(n.holders, t.remove) IN
    IF r = "fail" THEN "fail" ELSE NonZero(AddAll(r, t.add))

ConflictsWithQueue(n, o, c) ==
    \E i \in 1 .. Len(n.queue) : LET e == n.queue[i] IN
        e.want.kind /= "Watch" /\ e.owner /= o /\ ~CountsCompatible(c, CountsOf(e.want.mode, 1))

NodeCheckTransfer(n, t, caller) ==
    LET after == HoldersAfter(n, t)
        clash(a, h) == h.owner /= a[1] /\ ~CountsCompatible(a[2], h.counts)
        blocked == \E k \in 1 .. Len(t.add) :
                      \/ \E j \in 1 .. Len(after) : clash(t.add[k], after[j])
                      \/ Position(n, t.add[k][1]) = 0 /\ ConflictsWithQueue(n, t.add[k][1], t.add[k][2])
        byCaller == \E k \in 1 .. Len(t.add), j \in 1 .. Len(after) :
                      clash(t.add[k], after[j]) /\ after[j].owner = caller
                      /\ ~CountsCompatible(NodeHolding(n, caller), t.add[k][2])
    IN IF after = "fail" THEN "Inconsistent"
       ELSE IF ~blocked THEN "Ready" ELSE IF byCaller THEN "WouldDeadlock" ELSE "Wait"

NodeApplyTransfer(n, t) == NodeSettle([n EXCEPT !.holders = HoldersAfter(n, t)])

NodeEvictWaiters(n) ==
    LET kept == SelectSeq(n.queue, LAMBDA e : e.want.kind = "Escalate")
        sent == SelectSeq(n.queue, LAMBDA e : e.want.kind /= "Escalate")
    IN [node |-> [n EXCEPT !.queue = kept],
        wake |-> [i \in 1 .. Len(sent) |->
                     <<sent[i].token, IF sent[i].want.kind = "Fresh" THEN "Moved" ELSE "Changed", sent[i]>>]]

NodeCheckVacant(n, caller) ==
    IF Idle(n) THEN "Ready"
    ELSE IF n.holders /= <<>> /\ \A i \in 1 .. Len(n.holders) : n.holders[i].owner = caller
         THEN "WouldDeadlock" ELSE "Wait"

NodeCheckSource(n, caller) ==
    IF ~NodeHasEscalation(n) THEN "Ready"
    ELSE IF NodeHolding(n, caller) = Zero THEN "Wait" ELSE "WouldDeadlock"

NodeCheckCollision(n, caller) ==
    LET v == NodeCheckVacant(n, caller) IN IF v = "Ready" THEN "Wait" ELSE v

\* TransferCheck::worst over a set of answers.
Worst(S) == IF "Inconsistent" \in S THEN "Inconsistent"
            ELSE IF "WouldDeadlock" \in S THEN "WouldDeadlock"
            ELSE IF "Wait" \in S THEN "Wait" ELSE "Ready"

NodeTakeHolders(n) == [n EXCEPT !.holders = <<>>]

(***************************************************************************)
(* The driver (model/src/driver.rs, ops.rs, rename.rs): a world record     *)
(* [nodes, owners, last] threaded through one step.                        *)
(***************************************************************************)
AtPath(W, p) == IF p \in DOMAIN W.nodes THEN W.nodes[p] ELSE EmptyNode
SetNode(W, p, n) == [W EXCEPT !.nodes = [q \in DOMAIN @ \cup {p} |-> IF q = p THEN n ELSE @[q]]]
SetPc(W, o, pc) == [W EXCEPT !.owners[o].pc = pc]
Event(W, e) == [W EXCEPT !.last = e]

RECURSIVE Deliver(_, _)
Deliver(W, wake) ==
    IF wake = <<>> THEN W
    ELSE LET w == Head(wake)
             W1 == [W EXCEPT !.owners[w[1]].inbox = w[2]]
         IN Deliver(IF w[2] = "Moved" THEN Event(W1, "WaiterMoved") ELSE W1, Tail(wake))

(* check_handoffs: an escalation handed off is a reachability event. *)
Handoffs(W, wake) ==
    IF \E i \in 1 .. Len(wake) : wake[i][2] = "Granted" /\ wake[i][3].want.kind = "Escalate"
    THEN Event(W, "EscalationGranted") ELSE W

ReleaseAt(W, o, p, m) ==
    LET r == NodeRelease(AtPath(W, p), o, m)
    IN Deliver(Handoffs(SetNode(W, p, r.node), r.wake), r.wake)

(* A release in progress: `holder` still holds "S" on prefixes 1..left of *)
(* `path`; the owner gives them back longest first, one a Step.           *)
Releasing(h, path, left, timedOut) ==
    [kind |-> "Release", holder |-> h, path |-> path, left |-> left, timed_out |-> timedOut]

(* Backing out of a failed acquisition: what it took, leaf to root. *)
BackOut(W, o, a, timedOut) ==
    IF a.taken > 0 THEN SetPc(W, o, Releasing(o, a.path, a.taken, timedOut))
    ELSE SetPc(W, o, [kind |-> "Idle"])

ReleaseStepW(W, o) ==
    LET r == W.owners[o].pc
        W1 == ReleaseAt(W, r.holder, Prefix(r.path, r.left), "S")
    IN IF r.left = 1 THEN SetPc(W1, o, [kind |-> "Idle"]) ELSE SetPc(W1, o, [r EXCEPT !.left = @ - 1])

Finish(W, o, a) ==
    [W EXCEPT !.owners[o].guards = @ (+) SetToBag({[path |-> a.path, write |-> a.write]}),
              !.owners[o].pc = [kind |-> "Idle"]]

Advance(W, o) ==
    LET a == W.owners[o].pc
        a1 == [a EXCEPT !.taken = @ + 1, !.waiting = FALSE]
    IN IF a1.taken = Len(a.path) THEN Finish(W, o, a1) ELSE SetPc(W, o, a1)

ConflictingWaiter(n, o, m) ==
    \E i \in 1 .. Len(n.queue) : LET e == n.queue[i] IN
        e.owner /= o /\ e.want.kind /= "Watch" /\ ~Compatible(m, e.want.mode)

(* Driver::request followed by what `step` does with the answer. *)
StepW(W, o) ==
    LET a == W.owners[o].pc
        level == a.taken
        p == Prefix(a.path, level + 1)
        m == ModeAt(a.write, level, Len(a.path))
        n == AtPath(W, p)
        own == NodeHolding(n, o)
        escalation == Effective(own) = "S" /\ m = "X"
        otherEsc == \E i \in 1 .. Len(n.queue) : n.queue[i].owner /= o /\ n.queue[i].want.kind = "Escalate"
        r == NodeRequest(n, o, m, IF a.wait = "Try" THEN "Try" ELSE "Wait")
        W1 == SetNode(W, p, r.node)
    IN CASE r.d = "Granted" ->
              LET W2 == IF escalation THEN Event(W1, "EscalationGranted")
                        ELSE IF ~IsZero(own) /\ ConflictingWaiter(n, o, m) THEN Event(W1, "ReentryPassedWaiter")
                        ELSE W1
              IN Advance(W2, o)
         [] r.d = "Wait" ->
              SetPc(SetNode(W1, p, NodeEnqueue(r.node, o, r.want)), o, [a EXCEPT !.waiting = TRUE])
         [] OTHER ->
              LET W2 == CASE r.d = "WouldBlock" -> Event(W1, "TryRefused")
                          [] escalation /\ otherEsc -> Event(W1, "SecondEscalatorRefused")
                          [] OTHER -> W1
              IN BackOut(W2, o, a, FALSE)

Collect(ns) == [p \in {q \in DOMAIN ns : ~Idle(ns[q])} |-> ns[p]]
World == [nodes |-> nodes, owners |-> owners, last |-> "none"]
Commit(W) == nodes' = Collect(W.nodes) /\ owners' = W.owners /\ last' = W.last

(***************************************************************************)
(* Rename (model/src/rename.rs; core/src/rename.rs plans it).              *)
(***************************************************************************)
Common(f, t) == CHOOSE k \in 0 .. Min(Len(f), Len(t)) :
                    Prefix(f, k) = Prefix(t, k) /\ (k = Min(Len(f), Len(t)) \/ f[k + 1] /= t[k + 1])
Kept(f, t) == Min(Common(f, t), Len(t) - 1)
OntoAncestor(f, t) == Common(f, t) = Len(t)
(* RenamePlan::changes as a sequence of [site, loses, gain]. *)
Changes(f, t, destExists) ==
    LET old == [i \in 1 .. (Len(f) - 1 - Kept(f, t)) |->
                  LET k == Kept(f, t) + i IN
                  [site |-> Prefix(f, k), loses |-> TRUE,
                   gain |-> IF OntoAncestor(f, t) /\ k = Len(t) THEN "Holdings" ELSE "Nothing"]]
        lo == Min(Kept(f, t) + 1, Len(t))
        new == [i \in 1 .. (Len(t) - lo) |-> [site |-> Prefix(t, lo + i - 1), loses |-> FALSE, gain |-> "AncestorHolds"]]
        dest == IF destExists /\ ~OntoAncestor(f, t) THEN <<[site |-> t, loses |-> FALSE, gain |-> "Holdings"]>> ELSE <<>>
    IN old \o new \o dest
OwnList(hs) == [i \in 1 .. Len(hs) |-> <<hs[i].owner, hs[i].counts>>]
AncList(hs) == [i \in 1 .. Len(hs) |-> <<hs[i].owner, CountsOf("S", Total(hs[i].counts))>>]
TransferFor(c, hs) == [remove |-> IF c.loses THEN AncList(hs) ELSE <<>>,
                       add |-> CASE c.gain = "Nothing" -> <<>>
                                 [] c.gain = "AncestorHolds" -> AncList(hs)
                                 [] OTHER -> OwnList(hs)]

Children(W, f) == {q \in DOMAIN W.nodes : Len(q) = Len(f) + 1 /\ AtOrBelow(q, f)}
(* source_blocker (check_source) for every rename, then merge_blocker.   *)
Blocker(W, o, f, t, destExists) ==
    LET src == NodeCheckSource(AtPath(W, f), o) IN
    IF src /= "Ready" THEN [check |-> src, at |-> f]
    ELSE IF ~destExists THEN [check |-> "Ready", at |-> f]
    ELSE LET clash == {q \in Children(W, f) : Rebase(q, f, t) \in DOMAIN W.nodes} IN
         IF clash = {} THEN [check |-> "Ready", at |-> f]
         ELSE [check |-> Worst({NodeCheckCollision(AtPath(W, Rebase(q, f, t)), o) : q \in clash}),
               at |-> t]

RECURSIVE FirstBlocked(_, _, _, _)
FirstBlocked(W, o, cs, hs) ==
    IF cs = <<>> THEN [check |-> "Ready", at |-> <<>>]
    ELSE LET c == Head(cs)
             v == NodeCheckTransfer(AtPath(W, c.site), TransferFor(c, hs), o)
         IN IF v = "Ready" THEN FirstBlocked(W, o, Tail(cs), hs) ELSE [check |-> v, at |-> c.site]

RECURSIVE ApplyAll(_, _, _, _)
ApplyAll(W, cs, hs, wake) ==
    IF cs = <<>> THEN [w |-> W, wake |-> wake]
    ELSE LET c == Head(cs)
             r == NodeApplyTransfer(AtPath(W, c.site), TransferFor(c, hs))
         IN ApplyAll(Handoffs(SetNode(W, c.site, r.node), r.wake), Tail(cs), hs, wake \o r.wake)

MoveSubtree(ns, f, t, destExists) ==
    LET moved == {q \in DOMAIN ns : AtOrBelow(q, f) /\ ~(q = f /\ destExists)}
        stay == {q \in DOMAIN ns : ~AtOrBelow(q, f)}
        target(q) == Rebase(q, f, t)
    IN [q \in stay \cup {target(r) : r \in moved} |->
           IF q \in stay THEN ns[q] ELSE ns[CHOOSE r \in moved : target(r) = q]]

RebaseOwner(ow, i, f, t, gone) ==
    LET g2 == [x \in {[path |-> IF AtOrBelow(g.path, f) THEN Rebase(g.path, f, t) ELSE g.path, write |-> g.write] :
                     g \in BagToSet(ow.guards)} |->
                 LET src == {g \in BagToSet(ow.guards) :
                               [path |-> IF AtOrBelow(g.path, f) THEN Rebase(g.path, f, t) ELSE g.path, write |-> g.write] = x}
                 IN LET RECURSIVE Sum(_) Sum(S) == IF S = {} THEN 0 ELSE LET y == CHOOSE y \in S : TRUE IN CopiesIn(y, ow.guards) + Sum(S \ {y})
                    IN Sum(src)]
        pc == ow.pc
        pc2 == CASE pc.kind = "Acquire" ->
                      IF AtOrBelow(pc.path, f)
                         /\ (pc.taken >= Len(f) \/ (pc.waiting /\ pc.taken + 1 = Len(f) /\ ~gone))
                      THEN [pc EXCEPT !.path = Rebase(@, f, t), !.taken = @ + Len(t) - Len(f)]
                      ELSE pc
                 [] pc.kind = "Release" ->
                      IF pc.left >= Len(f) /\ AtOrBelow(pc.path, f)
                      THEN [pc EXCEPT !.path = Rebase(@, f, t), !.left = @ + Len(t) - Len(f)]
                      ELSE pc
                 [] pc.kind = "Rename" /\ pc.watching /= <<>> ->
                      IF AtOrBelow(pc.watching, f) /\ pc.watching /= f
                      THEN [pc EXCEPT !.watching = Rebase(@, f, t)] ELSE pc
                 [] OTHER -> pc
    IN [ow EXCEPT !.guards = g2, !.pc = pc2]

AttemptW(W, o) ==
    LET r == W.owners[o].pc
        f == r.from
        t == r.to
        Done(X) == SetPc(X, o, [kind |-> "Idle"])
    IN IF Common(f, t) = Len(f) \/ f \notin DOMAIN W.nodes \/ W.nodes[f].holders = <<>>
       THEN Done(W)
       ELSE
        LET destExists == t \in DOMAIN W.nodes
            hs == W.nodes[f].holders
            cs == Changes(f, t, destExists)
            b0 == Blocker(W, o, f, t, destExists)
            b == IF b0.check = "Ready" THEN FirstBlocked(W, o, cs, hs) ELSE b0
        IN CASE b.check = "Ready" ->
                  LET A == ApplyAll(W, cs, hs, <<>>)
                      ev == NodeEvictWaiters(AtPath(A.w, f))
                      wake == A.wake \o ev.wake
                      W1 == SetNode(A.w, f, ev.node)
                      gone == {wake[i][1] : i \in {j \in 1 .. Len(wake) : wake[j][2] /= "Granted"}}
                      W2 == [W1 EXCEPT !.nodes = MoveSubtree(@, f, t, destExists),
                                       !.owners = [i \in OwnerIds |->
                                           RebaseOwner(@[i], i, f, t, i \in gone \/ @[i].inbox = "Moved")]]
                  IN Done(Deliver(Event(W2, "Renamed"), wake))
             [] b.check = "Wait" /\ r.wait /= "Try" ->
                  LET held == t \in DOMAIN W.nodes /\ \E i \in 1 .. Len(W.nodes[t].holders) : W.nodes[t].holders[i].owner /= o
                      W1 == IF held THEN Event(W, "RenameOntoHeldWaited") ELSE W
                  IN SetPc(SetNode(W1, b.at, NodeWatch(AtPath(W1, b.at), o)), o, [r EXCEPT !.watching = b.at])
             [] b.check = "Wait" -> Done(Event(W, "TryRefused"))
             [] OTHER -> Done(W)

(***************************************************************************)
(* The actions (model/src/action.rs).                                      *)
(***************************************************************************)
Init ==
    /\ nodes = [p \in {} |-> EmptyNode]
    /\ owners = [o \in OwnerIds |-> [ops_left |-> Ops, guards |-> EmptyBag, pc |-> [kind |-> "Idle"], inbox |-> "none"]]
    /\ last = "none"

IdleOwner(o) == owners[o].pc.kind = "Idle" /\ owners[o].inbox = "none"

Acquire(o, p, write, wait) ==
    /\ IdleOwner(o)
    /\ owners[o].ops_left > 0
    /\ (write /\ Writes) \/ (~write /\ Reads)
    /\ ~Ordered \/ \A g \in BagToSet(owners[o].guards) : LockLE(g.path, p)
    /\ LET W == [World EXCEPT !.owners[o].ops_left = @ - 1,
                              !.owners[o].pc = [kind |-> "Acquire", path |-> p, write |-> write,
                                                wait |-> wait, taken |-> 0, waiting |-> FALSE]]
       IN Commit(StepW(W, o))

Step(o) ==
    /\ owners[o].inbox = "none"
    /\ \/ owners[o].pc.kind = "Acquire" /\ ~owners[o].pc.waiting /\ Commit(StepW(World, o))
       \/ owners[o].pc.kind = "Release" /\ Commit(ReleaseStepW(World, o))

Wake(o) ==
    /\ owners[o].inbox /= "none"
    /\ LET w == owners[o].inbox
           W == [World EXCEPT !.owners[o].inbox = "none"]
           a == owners[o].pc
       IN Commit(CASE w = "Granted" ->
                         LET W1 == Advance(W, o) IN
                         IF W1.owners[o].pc.kind = "Acquire" THEN StepW(W1, o) ELSE W1
                   [] w = "Moved" -> StepW(SetPc(W, o, [a EXCEPT !.waiting = FALSE]), o)
                   [] OTHER -> AttemptW(SetPc(W, o, [a EXCEPT !.watching = <<>>]), o))

Timeout(o) ==
    /\ owners[o].inbox = "none"
    /\ LET pc == owners[o].pc IN
       \/ /\ pc.kind = "Acquire" /\ pc.waiting /\ pc.wait = "Timed"
          /\ LET p == Prefix(pc.path, pc.taken + 1)
                 c == NodeCancel(nodes[p], o)
                 W1 == Deliver(Handoffs(SetNode(World, p, c.node), c.wake), c.wake)
                 W2 == IF pc.taken > 0 THEN Event(W1, "TimeoutMidPath") ELSE W1
             IN Commit(BackOut(W2, o, pc, TRUE))
       \/ /\ pc.kind = "Rename" /\ pc.wait = "Timed" /\ pc.watching /= <<>>
          /\ LET c == NodeCancel(nodes[pc.watching], o)
                 W1 == Deliver(Handoffs(SetNode(World, pc.watching, c.node), c.wake), c.wake)
             IN Commit(SetPc(W1, o, [kind |-> "Idle"]))

Release(o, h, g) ==
    /\ IdleOwner(o)
    /\ BagIn(g, owners[h].guards)
    /\ h = o \/ LooseRelease(g.write)
    /\ LET W == [World EXCEPT !.owners[h].guards = @ (-) SetToBag({g})]
           W1 == ReleaseAt(W, h, g.path, IF g.write THEN "X" ELSE "S")
           W2 == IF Len(g.path) > 1 THEN SetPc(W1, o, Releasing(h, g.path, Len(g.path) - 1, FALSE)) ELSE W1
       IN Commit(IF o /= h THEN Event(W2, "LooseRelease") ELSE W2)

Rename(o, from, to, wait) ==
    /\ IdleOwner(o)
    /\ owners[o].ops_left > 0
    /\ ~Ordered \/ owners[o].guards = EmptyBag
    /\ LET W == [World EXCEPT !.owners[o].ops_left = @ - 1,
                              !.owners[o].pc = [kind |-> "Rename", from |-> from, to |-> to,
                                                wait |-> wait, watching |-> <<>>]]
       IN Commit(AttemptW(W, o))

Next ==
    \E o \in OwnerIds :
        \/ \E p \in Paths, write \in BOOLEAN, wait \in Waits : Acquire(o, p, write, wait)
        \/ Step(o)
        \/ Wake(o)
        \/ Timeout(o)
        \/ \E h \in OwnerIds : \E g \in BagToSet(owners[h].guards) : Release(o, h, g)
        \/ \E r \in Renames, wait \in RenameWaits : Rename(o, r[1], r[2], wait)

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Properties (model/src/properties.rs).                                   *)
(***************************************************************************)
PathHoldings(o) ==
    {<<g.path, g.write>> : g \in BagToSet(owners[o].guards)} \cup
    (IF owners[o].pc.kind = "Acquire"
     THEN LET a == owners[o].pc
              n == a.taken + (IF a.waiting /\ owners[o].inbox = "Granted" THEN 1 ELSE 0)
          IN {<<Prefix(a.path, k), ModeAt(a.write, k - 1, Len(a.path)) = "X">> : k \in 1 .. n}
     ELSE {}) \cup
    UNION {{<<Prefix(owners[x].pc.path, k), FALSE>> : k \in 1 .. owners[x].pc.left} :
           x \in {x \in OwnerIds : owners[x].pc.kind = "Release" /\ owners[x].pc.holder = o}}

(* exclusion: a writer on p excludes every other owner's holding at or below p. *)
Exclusion ==
    \A o1, o2 \in OwnerIds : o1 /= o2 =>
        \A x \in PathHoldings(o1), y \in PathHoldings(o2) : x[2] => ~AtOrBelow(y[1], x[1])

ExpectedCounts(o, p) ==
    LET RECURSIVE SumG(_)
        one(g) == IF AtOrBelow(g.path, p) THEN CountsOf(ModeAt(g.write, Len(p) - 1, Len(g.path)), CopiesIn(g, owners[o].guards)) ELSE Zero
        SumG(S) == IF S = {} THEN Zero ELSE LET g == CHOOSE g \in S : TRUE IN Add(one(g), SumG(S \ {g}))
        a == owners[o].pc
        n == IF a.kind = "Acquire" THEN a.taken + (IF a.waiting /\ owners[o].inbox = "Granted" THEN 1 ELSE 0) ELSE 0
        partial == IF a.kind = "Acquire" /\ n >= Len(p) /\ Prefix(a.path, Len(p)) = p
                   THEN CountsOf(ModeAt(a.write, Len(p) - 1, Len(a.path)), 1) ELSE Zero
        owed == Cardinality({x \in OwnerIds :
                    /\ owners[x].pc.kind = "Release" /\ owners[x].pc.holder = o
                    /\ Len(p) <= owners[x].pc.left /\ Prefix(owners[x].pc.path, Len(p)) = p})
    IN Add(Add(SumG(BagToSet(owners[o].guards)), partial), CountsOf("S", owed))

(* accounting: node counts are what guards and partial acquisitions imply. *)
Accounting ==
    /\ \A p \in DOMAIN nodes : ~Idle(nodes[p]) /\ \A o \in OwnerIds : NodeHolding(nodes[p], o) = ExpectedCounts(o, p)
    /\ (\A o \in OwnerIds : owners[o].ops_left = 0 /\ owners[o].guards = EmptyBag /\ IdleOwner(o))
           => DOMAIN nodes = {}

Done(o) == IdleOwner(o) /\ owners[o].ops_left = 0 /\ owners[o].guards = EmptyBag
(* deadlock_free (ordered configurations): run TLC with deadlock checking on. *)
AllDone == \A o \in OwnerIds : Done(o)

(* no_overtaking, as an action property: a fresh grant never passes a       *)
(* conflicting request that still waits ahead of it.                        *)
NoOvertaking ==
    [][\A p \in DOMAIN nodes' : \A o \in OwnerIds :
          (IsZero(IF p \in DOMAIN nodes THEN NodeHolding(nodes[p], o) ELSE Zero) /\ ~IsZero(NodeHolding(nodes'[p], o)))
          => \A i \in 1 .. Len(nodes'[p].queue) :
                 LET e == nodes'[p].queue[i] IN
                 e.owner = o \/ e.want.kind = "Watch"
                 \/ Compatible(Effective(NodeHolding(nodes'[p], o)), e.want.mode)
                 \/ (p \in DOMAIN nodes /\ ~\E j \in 1 .. Len(nodes[p].queue) : nodes[p].queue[j] = e)]_vars
==============================================================================
