------------------------------- MODULE MCHiLok -------------------------------
(***************************************************************************)
(* The model's configuration `tla-mirror` (model/src/configs.rs): ordered, *)
(* RECURSIVE, two owners with two operations each, paths a and a/b, reads  *)
(* and writes, blocking and timed waits, no rename, no loose flag.         *)
(* `hilok-model check --config tla-mirror` explores 6811 unique states     *)
(* (it reduces this configuration by nothing); TLC should report the same  *)
(* number of distinct states.                                              *)
(***************************************************************************)
EXTENDS HiLok

MCPaths == {<<"a">>, <<"a", "b">>}
MCRank == [c \in {"a", "b"} |-> IF c = "a" THEN 1 ELSE 2]
MCWaits == {"Block", "Timed"}
MCRenames == {}
MCRenameWaits == {"Block"}

(* A finished run stutters, so that TLC's deadlock check is deadlock_free: *)
(* a state with no successor in which some owner is not done.              *)
MCNext == Next \/ (AllDone /\ UNCHANGED vars)
MCSpec == Init /\ [][MCNext]_vars
==============================================================================
