// The concrete syntax tree's types, generated from sql/parser/grammar.ts by chevrotain's
// generateCstDts. Do not edit by hand: after changing the grammar, regenerate with
//   UPDATE_CST=1 npx vitest run test/sql/parser/cst.test.ts
// (the same test fails while this file is out of date).

import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface NameCstNode extends CstNode {
  name: "name";
  children: NameCstChildren;
}

export type NameCstChildren = {
  Name: IToken[];
};

export interface QualifiedNameCstNode extends CstNode {
  name: "qualifiedName";
  children: QualifiedNameCstChildren;
}

export type QualifiedNameCstChildren = {
  Name: IToken[];
  Dot?: IToken[];
  Label?: IToken[];
};

export interface ParenNameListCstNode extends CstNode {
  name: "parenNameList";
  children: ParenNameListCstChildren;
}

export type ParenNameListCstChildren = {
  LParen: IToken[];
  name: NameCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface TypeNameCstNode extends CstNode {
  name: "typeName";
  children: TypeNameCstChildren;
}

export type TypeNameCstChildren = {
  Name: IToken[];
  PRECISION?: IToken[];
  VARYING?: IToken[];
  WITH?: IToken[];
  WITHOUT?: IToken[];
  TIME?: IToken[];
  ZONE?: IToken[];
  LParen?: IToken[];
  NumberLiteral?: IToken[];
  Comma?: IToken[];
  RParen?: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  operand: (OperandCstNode)[];
  binaryOperator?: BinaryOperatorCstNode[];
  isClause?: IsClauseCstNode[];
  ISNULL?: IToken[];
  NOTNULL?: IToken[];
  predicateSuffix?: PredicateSuffixCstNode[];
};

export interface ArithExprCstNode extends CstNode {
  name: "arithExpr";
  children: ArithExprCstChildren;
}

export type ArithExprCstChildren = {
  operand: (OperandCstNode)[];
  arithOperator?: ArithOperatorCstNode[];
};

export interface BinaryOperatorCstNode extends CstNode {
  name: "binaryOperator";
  children: BinaryOperatorCstChildren;
}

export type BinaryOperatorCstChildren = {
  OR?: IToken[];
  AND?: IToken[];
  Equals?: IToken[];
  NotEquals?: IToken[];
  BangEquals?: IToken[];
  Less?: IToken[];
  LessEquals?: IToken[];
  Greater?: IToken[];
  GreaterEquals?: IToken[];
  Concat?: IToken[];
  Plus?: IToken[];
  Minus?: IToken[];
  Star?: IToken[];
  Slash?: IToken[];
  Percent?: IToken[];
};

export interface ArithOperatorCstNode extends CstNode {
  name: "arithOperator";
  children: ArithOperatorCstChildren;
}

export type ArithOperatorCstChildren = {
  Concat?: IToken[];
  Plus?: IToken[];
  Minus?: IToken[];
  Star?: IToken[];
  Slash?: IToken[];
  Percent?: IToken[];
};

export interface IsClauseCstNode extends CstNode {
  name: "isClause";
  children: IsClauseCstChildren;
}

export type IsClauseCstChildren = {
  IS: IToken[];
  NOT?: IToken[];
  NULL?: IToken[];
  TRUE?: IToken[];
  FALSE?: IToken[];
  UNKNOWN?: IToken[];
  DISTINCT?: IToken[];
  FROM?: IToken[];
  operand?: OperandCstNode[];
};

export interface PredicateSuffixCstNode extends CstNode {
  name: "predicateSuffix";
  children: PredicateSuffixCstChildren;
}

export type PredicateSuffixCstChildren = {
  NOT?: IToken[];
  BETWEEN?: IToken[];
  SYMMETRIC?: IToken[];
  low?: ArithExprCstNode[];
  AND?: IToken[];
  high?: ArithExprCstNode[];
  IN?: IToken[];
  inTarget?: InTargetCstNode[];
  LIKE?: IToken[];
  ILIKE?: IToken[];
  pattern?: ArithExprCstNode[];
  ESCAPE?: IToken[];
  escape?: ArithExprCstNode[];
};

export interface InTargetCstNode extends CstNode {
  name: "inTarget";
  children: InTargetCstChildren;
}

export type InTargetCstChildren = {
  LParen: IToken[];
  query?: QueryCstNode[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface OperandCstNode extends CstNode {
  name: "operand";
  children: OperandCstChildren;
}

export type OperandCstChildren = {
  NOT?: IToken[];
  Plus?: IToken[];
  Minus?: IToken[];
  primary: PrimaryCstNode[];
  DoubleColon?: IToken[];
  typeName?: TypeNameCstNode[];
};

export interface ExtractExprCstNode extends CstNode {
  name: "extractExpr";
  children: ExtractExprCstChildren;
}

export type ExtractExprCstChildren = {
  EXTRACT: IToken[];
  LParen: IToken[];
  Label?: IToken[];
  StringLiteral?: IToken[];
  FROM: IToken[];
  expression: ExpressionCstNode[];
  RParen: IToken[];
};

export interface SubstringExprCstNode extends CstNode {
  name: "substringExpr";
  children: SubstringExprCstChildren;
}

export type SubstringExprCstChildren = {
  SUBSTRING: IToken[];
  LParen: IToken[];
  subject: ExpressionCstNode[];
  FROM?: IToken[];
  start?: ExpressionCstNode[];
  FOR?: (IToken)[];
  length?: (ExpressionCstNode)[];
  Comma?: IToken[];
  args?: ExpressionCstNode[];
  RParen: IToken[];
};

export interface TrimExprCstNode extends CstNode {
  name: "trimExpr";
  children: TrimExprCstChildren;
}

export type TrimExprCstChildren = {
  TRIM: IToken[];
  LParen: IToken[];
  BOTH?: IToken[];
  LEADING?: IToken[];
  TRAILING?: IToken[];
  FROM?: (IToken)[];
  subject?: (ExpressionCstNode)[];
  Comma?: (IToken)[];
  chars?: (ExpressionCstNode)[];
  first?: ExpressionCstNode[];
  RParen: IToken[];
};

export interface PositionExprCstNode extends CstNode {
  name: "positionExpr";
  children: PositionExprCstChildren;
}

export type PositionExprCstChildren = {
  POSITION: IToken[];
  LParen: IToken[];
  arithExpr: ArithExprCstNode[];
  IN?: IToken[];
  Comma?: IToken[];
  expression: ExpressionCstNode[];
  RParen: IToken[];
};

export interface CallTailCstNode extends CstNode {
  name: "callTail";
  children: CallTailCstChildren;
}

export type CallTailCstChildren = {
  callArguments: CallArgumentsCstNode[];
  FILTER?: IToken[];
  LParen?: IToken[];
  WHERE?: IToken[];
  filter?: ExpressionCstNode[];
  RParen?: IToken[];
  OVER?: IToken[];
  windowSpec?: WindowSpecCstNode[];
};

export interface CallArgumentsCstNode extends CstNode {
  name: "callArguments";
  children: CallArgumentsCstChildren;
}

export type CallArgumentsCstChildren = {
  LParen: IToken[];
  Star?: IToken[];
  setQuantifier?: SetQuantifierCstNode[];
  callArgument?: CallArgumentCstNode[];
  Comma?: IToken[];
  orderByClause?: OrderByClauseCstNode[];
  RParen: IToken[];
};

export interface CallArgumentCstNode extends CstNode {
  name: "callArgument";
  children: CallArgumentCstChildren;
}

export type CallArgumentCstChildren = {
  Name?: IToken[];
  Arrow?: IToken[];
  ColonEquals?: IToken[];
  expression: ExpressionCstNode[];
};

export interface WindowSpecCstNode extends CstNode {
  name: "windowSpec";
  children: WindowSpecCstChildren;
}

export type WindowSpecCstChildren = {
  LParen: IToken[];
  PARTITION?: IToken[];
  BY?: IToken[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  orderByClause?: OrderByClauseCstNode[];
  frameClause?: FrameClauseCstNode[];
  RParen: IToken[];
};

export interface FrameClauseCstNode extends CstNode {
  name: "frameClause";
  children: FrameClauseCstChildren;
}

export type FrameClauseCstChildren = {
  ROWS?: IToken[];
  RANGE?: IToken[];
  BETWEEN?: IToken[];
  start?: (FrameBoundCstNode)[];
  AND?: IToken[];
  end?: FrameBoundCstNode[];
};

export interface FrameBoundCstNode extends CstNode {
  name: "frameBound";
  children: FrameBoundCstChildren;
}

export type FrameBoundCstChildren = {
  UNBOUNDED?: IToken[];
  PRECEDING?: (IToken)[];
  FOLLOWING?: (IToken)[];
  CURRENT?: IToken[];
  ROW?: IToken[];
  arithExpr?: ArithExprCstNode[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  NumberLiteral?: IToken[];
  StringLiteral?: IToken[];
  nameLed?: NameLedCstNode[];
  parenthesized?: ParenthesizedCstNode[];
  NULL?: IToken[];
  TRUE?: IToken[];
  FALSE?: IToken[];
  DollarParam?: IToken[];
  QuestionMark?: IToken[];
  existsExpr?: ExistsExprCstNode[];
  caseExpr?: CaseExprCstNode[];
  castExpr?: CastExprCstNode[];
};

export interface ParenthesizedCstNode extends CstNode {
  name: "parenthesized";
  children: ParenthesizedCstChildren;
}

export type ParenthesizedCstChildren = {
  LParen: IToken[];
  query?: QueryCstNode[];
  expression?: ExpressionCstNode[];
  RParen: IToken[];
};

export interface NameLedCstNode extends CstNode {
  name: "nameLed";
  children: NameLedCstChildren;
}

export type NameLedCstChildren = {
  intervalLiteral?: IntervalLiteralCstNode[];
  extractExpr?: ExtractExprCstNode[];
  substringExpr?: SubstringExprCstNode[];
  trimExpr?: TrimExprCstNode[];
  positionExpr?: PositionExprCstNode[];
  LEFT?: IToken[];
  RIGHT?: IToken[];
  callTail?: (CallTailCstNode)[];
  Name?: IToken[];
  typedLiteralTail?: TypedLiteralTailCstNode[];
  Dot?: IToken[];
  Label?: IToken[];
  Star?: IToken[];
};

export interface SubqueryCstNode extends CstNode {
  name: "subquery";
  children: SubqueryCstChildren;
}

export type SubqueryCstChildren = {
  LParen: IToken[];
  query: QueryCstNode[];
  RParen: IToken[];
};

export interface ExistsExprCstNode extends CstNode {
  name: "existsExpr";
  children: ExistsExprCstChildren;
}

export type ExistsExprCstChildren = {
  EXISTS: IToken[];
  subquery: SubqueryCstNode[];
};

export interface CaseExprCstNode extends CstNode {
  name: "caseExpr";
  children: CaseExprCstChildren;
}

export type CaseExprCstChildren = {
  CASE: IToken[];
  operand?: ExpressionCstNode[];
  WHEN: IToken[];
  when: ExpressionCstNode[];
  THEN: IToken[];
  then: ExpressionCstNode[];
  ELSE?: IToken[];
  else?: ExpressionCstNode[];
  END: IToken[];
};

export interface CastExprCstNode extends CstNode {
  name: "castExpr";
  children: CastExprCstChildren;
}

export type CastExprCstChildren = {
  CAST?: IToken[];
  TRY_CAST?: IToken[];
  LParen: IToken[];
  expression: ExpressionCstNode[];
  AS: IToken[];
  typeName: TypeNameCstNode[];
  RParen: IToken[];
};

export interface IntervalLiteralCstNode extends CstNode {
  name: "intervalLiteral";
  children: IntervalLiteralCstChildren;
}

export type IntervalLiteralCstChildren = {
  INTERVAL: IToken[];
  StringLiteral?: IToken[];
  NumberLiteral?: IToken[];
  Name?: IToken[];
};

export interface TypedLiteralTailCstNode extends CstNode {
  name: "typedLiteralTail";
  children: TypedLiteralTailCstChildren;
}

export type TypedLiteralTailCstChildren = {
  PRECISION?: IToken[];
  VARYING?: IToken[];
  WITH?: IToken[];
  WITHOUT?: IToken[];
  TIME?: IToken[];
  ZONE?: IToken[];
  StringLiteral: IToken[];
};

export interface QueryCstNode extends CstNode {
  name: "query";
  children: QueryCstChildren;
}

export type QueryCstChildren = {
  withClause?: WithClauseCstNode[];
  setExpression: SetExpressionCstNode[];
  orderByClause?: OrderByClauseCstNode[];
  limitClause?: LimitClauseCstNode[];
  offsetClause?: OffsetClauseCstNode[];
};

export interface WithClauseCstNode extends CstNode {
  name: "withClause";
  children: WithClauseCstChildren;
}

export type WithClauseCstChildren = {
  WITH: IToken[];
  RECURSIVE?: IToken[];
  commonTableExpr: CommonTableExprCstNode[];
  Comma?: IToken[];
};

export interface CommonTableExprCstNode extends CstNode {
  name: "commonTableExpr";
  children: CommonTableExprCstChildren;
}

export type CommonTableExprCstChildren = {
  name: NameCstNode[];
  parenNameList?: ParenNameListCstNode[];
  AS: IToken[];
  LParen: IToken[];
  query: QueryCstNode[];
  RParen: IToken[];
};

export interface SetExpressionCstNode extends CstNode {
  name: "setExpression";
  children: SetExpressionCstChildren;
}

export type SetExpressionCstChildren = {
  intersectExpression: (IntersectExpressionCstNode)[];
  UNION?: IToken[];
  EXCEPT?: IToken[];
  setQuantifier?: SetQuantifierCstNode[];
};

export interface IntersectExpressionCstNode extends CstNode {
  name: "intersectExpression";
  children: IntersectExpressionCstChildren;
}

export type IntersectExpressionCstChildren = {
  queryPrimary: (QueryPrimaryCstNode)[];
  INTERSECT?: IToken[];
  setQuantifier?: SetQuantifierCstNode[];
};

export interface SetQuantifierCstNode extends CstNode {
  name: "setQuantifier";
  children: SetQuantifierCstChildren;
}

export type SetQuantifierCstChildren = {
  ALL?: IToken[];
  DISTINCT?: IToken[];
};

export interface QueryPrimaryCstNode extends CstNode {
  name: "queryPrimary";
  children: QueryPrimaryCstChildren;
}

export type QueryPrimaryCstChildren = {
  selectCore?: SelectCoreCstNode[];
  valuesBody?: ValuesBodyCstNode[];
  LParen?: IToken[];
  query?: QueryCstNode[];
  RParen?: IToken[];
};

export interface SelectCoreCstNode extends CstNode {
  name: "selectCore";
  children: SelectCoreCstChildren;
}

export type SelectCoreCstChildren = {
  SELECT: IToken[];
  setQuantifier?: SetQuantifierCstNode[];
  selectItem: SelectItemCstNode[];
  Comma?: (IToken)[];
  FROM?: IToken[];
  tableRef?: TableRefCstNode[];
  WHERE?: IToken[];
  where?: ExpressionCstNode[];
  GROUP?: IToken[];
  BY?: IToken[];
  groupBy?: GroupingElementCstNode[];
  HAVING?: IToken[];
  having?: ExpressionCstNode[];
  QUALIFY?: IToken[];
  qualify?: ExpressionCstNode[];
};

export interface GroupingElementCstNode extends CstNode {
  name: "groupingElement";
  children: GroupingElementCstChildren;
}

export type GroupingElementCstChildren = {
  ROLLUP?: IToken[];
  rollup?: GroupingListCstNode[];
  CUBE?: IToken[];
  cube?: GroupingListCstNode[];
  GROUPING?: IToken[];
  SETS?: IToken[];
  LParen?: IToken[];
  sets?: GroupingElementCstNode[];
  Comma?: IToken[];
  RParen?: IToken[];
  groupingTuple?: GroupingTupleCstNode[];
  expression?: ExpressionCstNode[];
};

export interface GroupingListCstNode extends CstNode {
  name: "groupingList";
  children: GroupingListCstChildren;
}

export type GroupingListCstChildren = {
  LParen: IToken[];
  groupingItem: GroupingItemCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface GroupingItemCstNode extends CstNode {
  name: "groupingItem";
  children: GroupingItemCstChildren;
}

export type GroupingItemCstChildren = {
  groupingTuple?: GroupingTupleCstNode[];
  expression?: ExpressionCstNode[];
};

export interface GroupingTupleCstNode extends CstNode {
  name: "groupingTuple";
  children: GroupingTupleCstChildren;
}

export type GroupingTupleCstChildren = {
  LParen: IToken[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ValuesBodyCstNode extends CstNode {
  name: "valuesBody";
  children: ValuesBodyCstChildren;
}

export type ValuesBodyCstChildren = {
  VALUES: IToken[];
  valuesRow: ValuesRowCstNode[];
  Comma?: IToken[];
};

export interface ValuesRowCstNode extends CstNode {
  name: "valuesRow";
  children: ValuesRowCstChildren;
}

export type ValuesRowCstChildren = {
  LParen: IToken[];
  expression: ExpressionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface SelectItemCstNode extends CstNode {
  name: "selectItem";
  children: SelectItemCstChildren;
}

export type SelectItemCstChildren = {
  Star?: IToken[];
  expression?: ExpressionCstNode[];
  columnAlias?: ColumnAliasCstNode[];
};

export interface ColumnAliasCstNode extends CstNode {
  name: "columnAlias";
  children: ColumnAliasCstChildren;
}

export type ColumnAliasCstChildren = {
  AS?: IToken[];
  Label?: IToken[];
  Name?: IToken[];
};

export interface OrderByClauseCstNode extends CstNode {
  name: "orderByClause";
  children: OrderByClauseCstChildren;
}

export type OrderByClauseCstChildren = {
  ORDER: IToken[];
  BY: IToken[];
  orderItem: OrderItemCstNode[];
  Comma?: IToken[];
};

export interface OrderItemCstNode extends CstNode {
  name: "orderItem";
  children: OrderItemCstChildren;
}

export type OrderItemCstChildren = {
  expression: ExpressionCstNode[];
  ASC?: IToken[];
  DESC?: IToken[];
  NULLS?: IToken[];
  FIRST?: IToken[];
  LAST?: IToken[];
};

export interface LimitClauseCstNode extends CstNode {
  name: "limitClause";
  children: LimitClauseCstChildren;
}

export type LimitClauseCstChildren = {
  LIMIT: IToken[];
  ALL?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface OffsetClauseCstNode extends CstNode {
  name: "offsetClause";
  children: OffsetClauseCstChildren;
}

export type OffsetClauseCstChildren = {
  OFFSET: IToken[];
  expression: ExpressionCstNode[];
  ROW?: IToken[];
  ROWS?: IToken[];
};

export interface TableRefCstNode extends CstNode {
  name: "tableRef";
  children: TableRefCstChildren;
}

export type TableRefCstChildren = {
  tablePrimary: TablePrimaryCstNode[];
  joinClause?: JoinClauseCstNode[];
};

export interface JoinClauseCstNode extends CstNode {
  name: "joinClause";
  children: JoinClauseCstChildren;
}

export type JoinClauseCstChildren = {
  CROSS?: IToken[];
  JOIN?: (IToken)[];
  tablePrimary?: (TablePrimaryCstNode)[];
  NATURAL?: IToken[];
  joinType?: JoinTypeCstNode[];
  joinCondition?: JoinConditionCstNode[];
};

export interface JoinTypeCstNode extends CstNode {
  name: "joinType";
  children: JoinTypeCstChildren;
}

export type JoinTypeCstChildren = {
  INNER?: IToken[];
  LEFT?: IToken[];
  RIGHT?: IToken[];
  FULL?: IToken[];
  OUTER?: IToken[];
};

export interface JoinConditionCstNode extends CstNode {
  name: "joinCondition";
  children: JoinConditionCstChildren;
}

export type JoinConditionCstChildren = {
  ON?: IToken[];
  expression?: ExpressionCstNode[];
  USING?: IToken[];
  parenNameList?: ParenNameListCstNode[];
};

export interface TablePrimaryCstNode extends CstNode {
  name: "tablePrimary";
  children: TablePrimaryCstChildren;
}

export type TablePrimaryCstChildren = {
  LParen?: (IToken)[];
  query?: QueryCstNode[];
  RParen?: (IToken)[];
  tableAlias?: (TableAliasCstNode)[];
  tableRef?: TableRefCstNode[];
  name?: NameCstNode[];
  callArguments?: CallArgumentsCstNode[];
  qualifiedName?: QualifiedNameCstNode[];
};

export interface TableAliasCstNode extends CstNode {
  name: "tableAlias";
  children: TableAliasCstChildren;
}

export type TableAliasCstChildren = {
  AS?: IToken[];
  Label?: IToken[];
  Name?: IToken[];
  parenNameList?: ParenNameListCstNode[];
};

export interface ScriptCstNode extends CstNode {
  name: "script";
  children: ScriptCstChildren;
}

export type ScriptCstChildren = {
  statement?: (StatementCstNode)[];
  Semicolon?: IToken[];
};

export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  query?: QueryCstNode[];
  createStatement?: CreateStatementCstNode[];
  dropStatement?: DropStatementCstNode[];
  insertStatement?: InsertStatementCstNode[];
  copyStatement?: CopyStatementCstNode[];
  deleteStatement?: DeleteStatementCstNode[];
  updateStatement?: UpdateStatementCstNode[];
  alterStatement?: AlterStatementCstNode[];
  truncateStatement?: TruncateStatementCstNode[];
  checkpointStatement?: CheckpointStatementCstNode[];
  optimizeStatement?: OptimizeStatementCstNode[];
  explainStatement?: ExplainStatementCstNode[];
  showStatement?: ShowStatementCstNode[];
  describeStatement?: DescribeStatementCstNode[];
  setStatement?: SetStatementCstNode[];
  resetStatement?: ResetStatementCstNode[];
  transactionStatement?: TransactionStatementCstNode[];
};

export interface CreateStatementCstNode extends CstNode {
  name: "createStatement";
  children: CreateStatementCstChildren;
}

export type CreateStatementCstChildren = {
  CREATE: IToken[];
  OR?: IToken[];
  REPLACE?: IToken[];
  createTableBody?: CreateTableBodyCstNode[];
  createViewBody?: CreateViewBodyCstNode[];
  createIndexBody?: CreateIndexBodyCstNode[];
};

export interface IfNotExistsCstNode extends CstNode {
  name: "ifNotExists";
  children: IfNotExistsCstChildren;
}

export type IfNotExistsCstChildren = {
  IF: IToken[];
  NOT: IToken[];
  EXISTS: IToken[];
};

export interface CreateTableBodyCstNode extends CstNode {
  name: "createTableBody";
  children: CreateTableBodyCstChildren;
}

export type CreateTableBodyCstChildren = {
  TABLE: IToken[];
  ifNotExists?: IfNotExistsCstNode[];
  qualifiedName: QualifiedNameCstNode[];
  LParen?: IToken[];
  tableElement?: TableElementCstNode[];
  Comma?: IToken[];
  RParen?: IToken[];
  tableOrderBy?: (TableOrderByCstNode)[];
  AS?: IToken[];
  query?: QueryCstNode[];
};

export interface TableOrderByCstNode extends CstNode {
  name: "tableOrderBy";
  children: TableOrderByCstChildren;
}

export type TableOrderByCstChildren = {
  ORDER: IToken[];
  BY: IToken[];
  parenNameList?: ParenNameListCstNode[];
  name?: NameCstNode[];
  Comma?: IToken[];
};

export interface TableElementCstNode extends CstNode {
  name: "tableElement";
  children: TableElementCstChildren;
}

export type TableElementCstChildren = {
  PRIMARY?: IToken[];
  KEY?: IToken[];
  parenNameList?: (ParenNameListCstNode)[];
  UNIQUE?: IToken[];
  columnDef?: ColumnDefCstNode[];
};

export interface ColumnDefCstNode extends CstNode {
  name: "columnDef";
  children: ColumnDefCstChildren;
}

export type ColumnDefCstChildren = {
  name: NameCstNode[];
  typeName: TypeNameCstNode[];
  columnConstraint?: ColumnConstraintCstNode[];
};

export interface ColumnConstraintCstNode extends CstNode {
  name: "columnConstraint";
  children: ColumnConstraintCstChildren;
}

export type ColumnConstraintCstChildren = {
  NOT?: IToken[];
  NULL?: (IToken)[];
  PRIMARY?: IToken[];
  KEY?: IToken[];
  DEFAULT?: IToken[];
  expression?: ExpressionCstNode[];
  UNIQUE?: IToken[];
};

export interface CreateViewBodyCstNode extends CstNode {
  name: "createViewBody";
  children: CreateViewBodyCstChildren;
}

export type CreateViewBodyCstChildren = {
  VIEW: IToken[];
  ifNotExists?: IfNotExistsCstNode[];
  qualifiedName: QualifiedNameCstNode[];
  parenNameList?: ParenNameListCstNode[];
  AS: IToken[];
  query: QueryCstNode[];
};

export interface CreateIndexBodyCstNode extends CstNode {
  name: "createIndexBody";
  children: CreateIndexBodyCstChildren;
}

export type CreateIndexBodyCstChildren = {
  UNIQUE?: IToken[];
  INDEX: IToken[];
  ifNotExists?: IfNotExistsCstNode[];
  name: (NameCstNode)[];
  ON: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  USING?: IToken[];
  LParen: IToken[];
  indexColumn: IndexColumnCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface IndexColumnCstNode extends CstNode {
  name: "indexColumn";
  children: IndexColumnCstChildren;
}

export type IndexColumnCstChildren = {
  name: NameCstNode[];
  ASC?: IToken[];
  DESC?: IToken[];
};

export interface DropStatementCstNode extends CstNode {
  name: "dropStatement";
  children: DropStatementCstChildren;
}

export type DropStatementCstChildren = {
  DROP: IToken[];
  TABLE?: IToken[];
  VIEW?: IToken[];
  INDEX?: IToken[];
  IF?: IToken[];
  EXISTS?: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  Comma?: IToken[];
};

export interface InsertStatementCstNode extends CstNode {
  name: "insertStatement";
  children: InsertStatementCstChildren;
}

export type InsertStatementCstChildren = {
  INSERT: IToken[];
  OR?: IToken[];
  REPLACE?: IToken[];
  IGNORE?: IToken[];
  INTO: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  AS?: IToken[];
  Label?: IToken[];
  parenNameList?: ParenNameListCstNode[];
  query: QueryCstNode[];
  onConflict?: OnConflictCstNode[];
};

export interface OnConflictCstNode extends CstNode {
  name: "onConflict";
  children: OnConflictCstChildren;
}

export type OnConflictCstChildren = {
  ON: IToken[];
  CONFLICT: IToken[];
  parenNameList?: ParenNameListCstNode[];
  DO: IToken[];
  NOTHING?: IToken[];
  UPDATE?: IToken[];
  SET?: IToken[];
  assignment?: AssignmentCstNode[];
  Comma?: IToken[];
  WHERE?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface TransactionStatementCstNode extends CstNode {
  name: "transactionStatement";
  children: TransactionStatementCstChildren;
}

export type TransactionStatementCstChildren = {
  START?: IToken[];
  TRANSACTION?: (IToken)[];
  BEGIN?: IToken[];
  COMMIT?: IToken[];
  END?: IToken[];
  ROLLBACK?: IToken[];
  ABORT?: IToken[];
  WORK?: IToken[];
};

export interface CopyStatementCstNode extends CstNode {
  name: "copyStatement";
  children: CopyStatementCstChildren;
}

export type CopyStatementCstChildren = {
  COPY: IToken[];
  qualifiedName?: QualifiedNameCstNode[];
  parenNameList?: ParenNameListCstNode[];
  LParen?: (IToken)[];
  query?: QueryCstNode[];
  RParen?: (IToken)[];
  FROM?: IToken[];
  TO?: IToken[];
  StringLiteral: IToken[];
  WITH?: IToken[];
  copyOption?: CopyOptionCstNode[];
  Comma?: IToken[];
  legacyCopyOption?: LegacyCopyOptionCstNode[];
};

export interface CopyOptionCstNode extends CstNode {
  name: "copyOption";
  children: CopyOptionCstChildren;
}

export type CopyOptionCstChildren = {
  Label: IToken[];
  copyValue?: CopyValueCstNode[];
};

export interface LegacyCopyOptionCstNode extends CstNode {
  name: "legacyCopyOption";
  children: LegacyCopyOptionCstChildren;
}

export type LegacyCopyOptionCstChildren = {
  Label: IToken[];
  AS?: IToken[];
  copyLiteral?: CopyLiteralCstNode[];
};

export interface CopyValueCstNode extends CstNode {
  name: "copyValue";
  children: CopyValueCstChildren;
}

export type CopyValueCstChildren = {
  copyLiteral?: CopyLiteralCstNode[];
  ON?: IToken[];
  Name?: IToken[];
};

export interface CopyLiteralCstNode extends CstNode {
  name: "copyLiteral";
  children: CopyLiteralCstChildren;
}

export type CopyLiteralCstChildren = {
  StringLiteral?: IToken[];
  NumberLiteral?: IToken[];
  TRUE?: IToken[];
  FALSE?: IToken[];
};

export interface UpdateStatementCstNode extends CstNode {
  name: "updateStatement";
  children: UpdateStatementCstChildren;
}

export type UpdateStatementCstChildren = {
  UPDATE: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  AS?: IToken[];
  Label?: IToken[];
  Name?: IToken[];
  SET: IToken[];
  assignment: AssignmentCstNode[];
  Comma?: IToken[];
  WHERE?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface AssignmentCstNode extends CstNode {
  name: "assignment";
  children: AssignmentCstChildren;
}

export type AssignmentCstChildren = {
  name: NameCstNode[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface AlterStatementCstNode extends CstNode {
  name: "alterStatement";
  children: AlterStatementCstChildren;
}

export type AlterStatementCstChildren = {
  ALTER: IToken[];
  TABLE: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  ADD?: IToken[];
  COLUMN?: (IToken)[];
  columnDef?: ColumnDefCstNode[];
  RENAME?: IToken[];
  TO?: (IToken)[];
  name?: (NameCstNode)[];
  DROP?: IToken[];
};

export interface TruncateStatementCstNode extends CstNode {
  name: "truncateStatement";
  children: TruncateStatementCstChildren;
}

export type TruncateStatementCstChildren = {
  TRUNCATE: IToken[];
  TABLE?: IToken[];
  qualifiedName: QualifiedNameCstNode[];
};

export interface CheckpointStatementCstNode extends CstNode {
  name: "checkpointStatement";
  children: CheckpointStatementCstChildren;
}

export type CheckpointStatementCstChildren = {
  CHECKPOINT: IToken[];
};

export interface OptimizeStatementCstNode extends CstNode {
  name: "optimizeStatement";
  children: OptimizeStatementCstChildren;
}

export type OptimizeStatementCstChildren = {
  OPTIMIZE: IToken[];
  qualifiedName?: QualifiedNameCstNode[];
};

export interface DeleteStatementCstNode extends CstNode {
  name: "deleteStatement";
  children: DeleteStatementCstChildren;
}

export type DeleteStatementCstChildren = {
  DELETE: IToken[];
  FROM: IToken[];
  qualifiedName: QualifiedNameCstNode[];
  AS?: IToken[];
  Label?: IToken[];
  Name?: IToken[];
  WHERE?: IToken[];
  expression?: ExpressionCstNode[];
};

export interface ExplainStatementCstNode extends CstNode {
  name: "explainStatement";
  children: ExplainStatementCstChildren;
}

export type ExplainStatementCstChildren = {
  EXPLAIN: IToken[];
  ANALYZE?: IToken[];
  LParen?: IToken[];
  Label?: IToken[];
  Comma?: IToken[];
  RParen?: IToken[];
  statement: StatementCstNode[];
};

export interface ShowStatementCstNode extends CstNode {
  name: "showStatement";
  children: ShowStatementCstChildren;
}

export type ShowStatementCstChildren = {
  SHOW: IToken[];
  Label: (IToken)[];
  qualifiedName?: QualifiedNameCstNode[];
};

export interface SetStatementCstNode extends CstNode {
  name: "setStatement";
  children: SetStatementCstChildren;
}

export type SetStatementCstChildren = {
  SET: IToken[];
  Label: IToken[];
  Equals?: IToken[];
  TO?: IToken[];
  settingValue: SettingValueCstNode[];
};

export interface SettingValueCstNode extends CstNode {
  name: "settingValue";
  children: SettingValueCstChildren;
}

export type SettingValueCstChildren = {
  StringLiteral?: IToken[];
  Minus?: IToken[];
  NumberLiteral?: IToken[];
  Label?: IToken[];
};

export interface ResetStatementCstNode extends CstNode {
  name: "resetStatement";
  children: ResetStatementCstChildren;
}

export type ResetStatementCstChildren = {
  RESET: IToken[];
  Label: IToken[];
};

export interface DescribeStatementCstNode extends CstNode {
  name: "describeStatement";
  children: DescribeStatementCstChildren;
}

export type DescribeStatementCstChildren = {
  DESCRIBE: IToken[];
  qualifiedName: QualifiedNameCstNode[];
};

export interface SqlCstVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  name(children: NameCstChildren, param?: IN): OUT;
  qualifiedName(children: QualifiedNameCstChildren, param?: IN): OUT;
  parenNameList(children: ParenNameListCstChildren, param?: IN): OUT;
  typeName(children: TypeNameCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  arithExpr(children: ArithExprCstChildren, param?: IN): OUT;
  binaryOperator(children: BinaryOperatorCstChildren, param?: IN): OUT;
  arithOperator(children: ArithOperatorCstChildren, param?: IN): OUT;
  isClause(children: IsClauseCstChildren, param?: IN): OUT;
  predicateSuffix(children: PredicateSuffixCstChildren, param?: IN): OUT;
  inTarget(children: InTargetCstChildren, param?: IN): OUT;
  operand(children: OperandCstChildren, param?: IN): OUT;
  extractExpr(children: ExtractExprCstChildren, param?: IN): OUT;
  substringExpr(children: SubstringExprCstChildren, param?: IN): OUT;
  trimExpr(children: TrimExprCstChildren, param?: IN): OUT;
  positionExpr(children: PositionExprCstChildren, param?: IN): OUT;
  callTail(children: CallTailCstChildren, param?: IN): OUT;
  callArguments(children: CallArgumentsCstChildren, param?: IN): OUT;
  callArgument(children: CallArgumentCstChildren, param?: IN): OUT;
  windowSpec(children: WindowSpecCstChildren, param?: IN): OUT;
  frameClause(children: FrameClauseCstChildren, param?: IN): OUT;
  frameBound(children: FrameBoundCstChildren, param?: IN): OUT;
  primary(children: PrimaryCstChildren, param?: IN): OUT;
  parenthesized(children: ParenthesizedCstChildren, param?: IN): OUT;
  nameLed(children: NameLedCstChildren, param?: IN): OUT;
  subquery(children: SubqueryCstChildren, param?: IN): OUT;
  existsExpr(children: ExistsExprCstChildren, param?: IN): OUT;
  caseExpr(children: CaseExprCstChildren, param?: IN): OUT;
  castExpr(children: CastExprCstChildren, param?: IN): OUT;
  intervalLiteral(children: IntervalLiteralCstChildren, param?: IN): OUT;
  typedLiteralTail(children: TypedLiteralTailCstChildren, param?: IN): OUT;
  query(children: QueryCstChildren, param?: IN): OUT;
  withClause(children: WithClauseCstChildren, param?: IN): OUT;
  commonTableExpr(children: CommonTableExprCstChildren, param?: IN): OUT;
  setExpression(children: SetExpressionCstChildren, param?: IN): OUT;
  intersectExpression(children: IntersectExpressionCstChildren, param?: IN): OUT;
  setQuantifier(children: SetQuantifierCstChildren, param?: IN): OUT;
  queryPrimary(children: QueryPrimaryCstChildren, param?: IN): OUT;
  selectCore(children: SelectCoreCstChildren, param?: IN): OUT;
  groupingElement(children: GroupingElementCstChildren, param?: IN): OUT;
  groupingList(children: GroupingListCstChildren, param?: IN): OUT;
  groupingItem(children: GroupingItemCstChildren, param?: IN): OUT;
  groupingTuple(children: GroupingTupleCstChildren, param?: IN): OUT;
  valuesBody(children: ValuesBodyCstChildren, param?: IN): OUT;
  valuesRow(children: ValuesRowCstChildren, param?: IN): OUT;
  selectItem(children: SelectItemCstChildren, param?: IN): OUT;
  columnAlias(children: ColumnAliasCstChildren, param?: IN): OUT;
  orderByClause(children: OrderByClauseCstChildren, param?: IN): OUT;
  orderItem(children: OrderItemCstChildren, param?: IN): OUT;
  limitClause(children: LimitClauseCstChildren, param?: IN): OUT;
  offsetClause(children: OffsetClauseCstChildren, param?: IN): OUT;
  tableRef(children: TableRefCstChildren, param?: IN): OUT;
  joinClause(children: JoinClauseCstChildren, param?: IN): OUT;
  joinType(children: JoinTypeCstChildren, param?: IN): OUT;
  joinCondition(children: JoinConditionCstChildren, param?: IN): OUT;
  tablePrimary(children: TablePrimaryCstChildren, param?: IN): OUT;
  tableAlias(children: TableAliasCstChildren, param?: IN): OUT;
  script(children: ScriptCstChildren, param?: IN): OUT;
  statement(children: StatementCstChildren, param?: IN): OUT;
  createStatement(children: CreateStatementCstChildren, param?: IN): OUT;
  ifNotExists(children: IfNotExistsCstChildren, param?: IN): OUT;
  createTableBody(children: CreateTableBodyCstChildren, param?: IN): OUT;
  tableOrderBy(children: TableOrderByCstChildren, param?: IN): OUT;
  tableElement(children: TableElementCstChildren, param?: IN): OUT;
  columnDef(children: ColumnDefCstChildren, param?: IN): OUT;
  columnConstraint(children: ColumnConstraintCstChildren, param?: IN): OUT;
  createViewBody(children: CreateViewBodyCstChildren, param?: IN): OUT;
  createIndexBody(children: CreateIndexBodyCstChildren, param?: IN): OUT;
  indexColumn(children: IndexColumnCstChildren, param?: IN): OUT;
  dropStatement(children: DropStatementCstChildren, param?: IN): OUT;
  insertStatement(children: InsertStatementCstChildren, param?: IN): OUT;
  onConflict(children: OnConflictCstChildren, param?: IN): OUT;
  transactionStatement(children: TransactionStatementCstChildren, param?: IN): OUT;
  copyStatement(children: CopyStatementCstChildren, param?: IN): OUT;
  copyOption(children: CopyOptionCstChildren, param?: IN): OUT;
  legacyCopyOption(children: LegacyCopyOptionCstChildren, param?: IN): OUT;
  copyValue(children: CopyValueCstChildren, param?: IN): OUT;
  copyLiteral(children: CopyLiteralCstChildren, param?: IN): OUT;
  updateStatement(children: UpdateStatementCstChildren, param?: IN): OUT;
  assignment(children: AssignmentCstChildren, param?: IN): OUT;
  alterStatement(children: AlterStatementCstChildren, param?: IN): OUT;
  truncateStatement(children: TruncateStatementCstChildren, param?: IN): OUT;
  checkpointStatement(children: CheckpointStatementCstChildren, param?: IN): OUT;
  optimizeStatement(children: OptimizeStatementCstChildren, param?: IN): OUT;
  deleteStatement(children: DeleteStatementCstChildren, param?: IN): OUT;
  explainStatement(children: ExplainStatementCstChildren, param?: IN): OUT;
  showStatement(children: ShowStatementCstChildren, param?: IN): OUT;
  setStatement(children: SetStatementCstChildren, param?: IN): OUT;
  settingValue(children: SettingValueCstChildren, param?: IN): OUT;
  resetStatement(children: ResetStatementCstChildren, param?: IN): OUT;
  describeStatement(children: DescribeStatementCstChildren, param?: IN): OUT;
}
